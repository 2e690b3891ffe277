import { registerEnumType } from "type-graphql";
import { ACTIVITY_KINDS, type ActivityKind } from "../domain/activity-kind";
import { CLIENT_KINDS, type ClientKind } from "../domain/client-kind";
import { END_REASONS, type EndReason } from "../domain/end-reason";
import { ROLES, type Role } from "../domain/role";
import { SESSION_CHANGES, SESSION_SIGNALS, type SessionChange, type SessionSignal } from "../domain/session-signal";

/** A type-graphql enum object built from a domain list, so the two cannot drift apart. */
function enumOf<T extends string>(names: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(names.map((name) => [name, name])) as { [K in T]: K };
}

export const RoleEnum: { [K in Role]: K } = enumOf(ROLES);
registerEnumType(RoleEnum, { name: "Role" });

export const RevocationReasonEnum: { [K in EndReason]: K } = enumOf(Object.keys(END_REASONS) as EndReason[]);
registerEnumType(RevocationReasonEnum, {
  name: "RevocationReason",
  valuesConfig: Object.fromEntries(Object.entries(END_REASONS).map(([name, description]) => [name, { description }])),
});

export const ActivityKindEnum: { [K in ActivityKind]: K } = enumOf(ACTIVITY_KINDS);
registerEnumType(ActivityKindEnum, { name: "ActivityKind" });

export const SessionSignalEnum: { [K in SessionSignal]: K } = enumOf(Object.keys(SESSION_SIGNALS) as SessionSignal[]);
registerEnumType(SessionSignalEnum, {
  name: "SessionSignal",
  valuesConfig: Object.fromEntries(Object.entries(SESSION_SIGNALS).map(([name, description]) => [name, { description }])),
});

export const SessionChangeEnum: { [K in SessionChange]: K } = enumOf(SESSION_CHANGES);
registerEnumType(SessionChangeEnum, { name: "SessionChange" });

export const ClientKindEnum: { [K in ClientKind]: K } = enumOf(Object.keys(CLIENT_KINDS) as ClientKind[]);
registerEnumType(ClientKindEnum, {
  name: "ClientKind",
  valuesConfig: Object.fromEntries(Object.entries(CLIENT_KINDS).map(([name, description]) => [name, { description }])),
});
