import type { EndReason } from "./end-reason";
import type { SessionChange } from "./session-signal";

/**
 * One change to one of a user's sessions, as one subscribed connection sees it. `Session` is the
 * session as the store reads it (the vocabulary knows no rows).
 */
export interface SessionChangeEvent<Session> {
  change: SessionChange;
  session: Session;
  reason: EndReason | null;
  at: Date;
  /** The session of the connection receiving it, which decides `isCurrent`. */
  receiverSessionId: string;
}
