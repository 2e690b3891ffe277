import { InitialSchema1764259200000 } from "./1764259200000-initial-schema";
import { AuthEpoch1764950400000 } from "./1764950400000-auth-epoch";
import { KeepSessionsOfDeletedUsers1765036800000 } from "./1765036800000-keep-sessions-of-deleted-users";
import { SessionRetentionIndex1765123200000 } from "./1765123200000-session-retention-index";
import { Activity1765209600000 } from "./1765209600000-activity";
import { ActivityTimeBrin1765296000000 } from "./1765296000000-activity-time-brin";
import { SessionSignals1765382400000 } from "./1765382400000-session-signals";
import { RevocationLog1765468800000 } from "./1765468800000-revocation-log";
import { EmailSkeleton1765555200000 } from "./1765555200000-email-skeleton";
import { DeviceTokens1765641600000 } from "./1765641600000-device-tokens";
import { LogDeletes1765728000000 } from "./1765728000000-log-deletes";
import { DeviceNames1765814400000 } from "./1765814400000-device-names";
import { Signals1765900800000 } from "./1765900800000-signals";
import { PostgresBus1765987200000 } from "./1765987200000-postgres-bus";
import { SignalEnqueueLocks1766073600000 } from "./1766073600000-signal-enqueue-locks";
import { SetBasedEndingTriggers1766160000000 } from "./1766160000000-set-based-ending-triggers";

/** Listed explicitly so that ts-node, jest and the compiled build all find the same set. */
export const migrations = [InitialSchema1764259200000, AuthEpoch1764950400000, KeepSessionsOfDeletedUsers1765036800000, SessionRetentionIndex1765123200000, Activity1765209600000, ActivityTimeBrin1765296000000, SessionSignals1765382400000, RevocationLog1765468800000, EmailSkeleton1765555200000, DeviceTokens1765641600000, LogDeletes1765728000000, DeviceNames1765814400000, Signals1765900800000, PostgresBus1765987200000, SignalEnqueueLocks1766073600000, SetBasedEndingTriggers1766160000000];
