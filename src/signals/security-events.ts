import { createHash } from "node:crypto";
import type { EndReason } from "../domain/end-reason";

/**
 * The events this transmitter sends and the claims of their Security Event Tokens (RFC 8417, as
 * SSF 1.0 §4 profiles them and CAEP 1.0 §3 defines the events). Pure: an outbox row in, claims out.
 */

const CAEP = "https://schemas.openid.net/secevent/caep/event-type/";
const SSF = "https://schemas.openid.net/secevent/ssf/event-type/";

/** The outbox's short names, with their event type URIs. */
export const EVENT_TYPES = {
  "session-revoked": `${CAEP}session-revoked`,
  "credential-change": `${CAEP}credential-change`,
  "session-established": `${CAEP}session-established`,
  verification: `${SSF}verification`,
  "stream-updated": `${SSF}stream-updated`,
} as const;
export type EventKind = keyof typeof EVENT_TYPES;

/** What a receiver may ask for; verification and stream-updated belong to the stream itself and always come. */
export const REQUESTABLE_KINDS = ["session-revoked", "credential-change", "session-established"] as const satisfies readonly EventKind[];

export function kindOfUri(uri: string): EventKind | undefined {
  return (Object.keys(EVENT_TYPES) as EventKind[]).find((kind) => EVENT_TYPES[kind] === uri);
}

/** CAEP 1.0 §2's initiating_entity for each way a session ends. */
const INITIATOR: Record<EndReason, "admin" | "user" | "policy" | "system"> = {
  ADMIN_LOGOUT: "admin",
  LOGOUT: "user",
  TERMINATED: "user",
  TERMINATED_OTHERS: "user",
  PASSWORD_CHANGED: "user",
  REFRESH_TOKEN_REUSE: "policy",
  EXPIRED: "system",
};

/** reason_admin and reason_user (CAEP 1.0 §2), in English. */
const WHY: Record<EndReason, { admin: string; user: string }> = {
  LOGOUT: { admin: "The user logged out on this device (LOGOUT).", user: "You logged out on this device." },
  TERMINATED: { admin: "The user ended this session from another of their sessions (TERMINATED).", user: "You ended this session from another device." },
  TERMINATED_OTHERS: { admin: "The user ended all their other sessions from one session (TERMINATED_OTHERS).", user: "You logged out of your other devices." },
  PASSWORD_CHANGED: { admin: "The password was changed, which ends the account's other sessions (PASSWORD_CHANGED).", user: "Your password was changed, so you were logged out of your other devices." },
  ADMIN_LOGOUT: { admin: "An administrator ended this session (ADMIN_LOGOUT).", user: "An administrator logged you out." },
  REFRESH_TOKEN_REUSE: {
    admin: "A refresh token of this session was used again after it had been rotated; the token may have been stolen (REFRESH_TOKEN_REUSE).",
    user: "For your security you were logged out: your sign-in on this device was used from somewhere else.",
  },
  EXPIRED: { admin: "The session reached its expiry without being refreshed (EXPIRED).", user: "Your session expired. Please log in again." },
};

const OPERATOR_PASSWORD = {
  admin: "An operator set a new password for the account, which ends all its sessions (PASSWORD_CHANGED).",
  user: "Your password was reset by an administrator, so you were logged out.",
};

/** One row of the outbox, as the delivery reads it. */
export interface OutboxEvent {
  jti: string;
  txn: string;
  kind: EventKind;
  userId: string | null;
  sessionId: string | null;
  streamId: string;
  /** What the trigger or the stream recorded (see migrations/1765900800000-signals.ts). */
  facts: Record<string, unknown>;
  createdAt: Date;
}

/** Who a SET is from and for. */
export interface SetContext {
  issuer: string;
  /** The receiver's OAuth client id. */
  audience: string;
}

const seconds = (at: Date | string) => Math.floor(new Date(at).getTime() / 1000);
const english = (text: string) => ({ en: text });

/**
 * A user agent's fingerprint (CAEP 1.0 session-established `fp_ua`): the transmitter computes it;
 * a hash, so the SET carries no raw user agent.
 */
export function userAgentFingerprint(userAgent: string): string {
  return createHash("sha256").update(userAgent).digest("base64url");
}

function subjectOf(event: OutboxEvent, issuer: string): Record<string, unknown> {
  if (event.kind === "verification" || event.kind === "stream-updated") return { format: "opaque", id: event.streamId };
  const user = { format: "iss_sub", iss: issuer, sub: event.userId };
  return event.sessionId ? { format: "complex", user, session: { format: "opaque", id: event.sessionId } } : { format: "complex", user };
}

function eventBody(event: OutboxEvent): Record<string, unknown> {
  const facts = event.facts;
  switch (event.kind) {
    case "session-revoked": {
      const reason = facts.reason as EndReason;
      // A password set by an operator (npm run user:create) ends every session, and no user did it.
      const byOperator = reason === "PASSWORD_CHANGED" && !facts.endedBy;
      const why = byOperator ? OPERATOR_PASSWORD : WHY[reason];
      return {
        event_timestamp: seconds(facts.endedAt as string),
        initiating_entity: byOperator ? "admin" : (INITIATOR[reason] ?? "system"),
        reason_admin: english(why?.admin ?? `The session ended (${reason}).`),
        reason_user: english(why?.user ?? "Your session ended."),
        // Our own name for why, for receivers that act on it (a CAEP extension member).
        session_end_reason: reason,
      };
    }
    case "credential-change": {
      const byAdmin = facts.initiator === "admin";
      return {
        event_timestamp: seconds(facts.at as string),
        credential_type: "password",
        change_type: "update",
        initiating_entity: byAdmin ? "admin" : "user",
        reason_admin: english(byAdmin ? "An operator set a new password for the account." : "The user changed their password."),
        reason_user: english(byAdmin ? "Your password was reset by an administrator." : "You changed your password."),
      };
    }
    case "session-established":
      return {
        event_timestamp: seconds(facts.at as string),
        ips: [facts.ip],
        fp_ua: userAgentFingerprint(String(facts.userAgent ?? "")),
        amr: ["pwd"],
        // Why the session looked unfamiliar (NEW_DEVICE, NEW_COUNTRY): Session.signals, as an extension member.
        session_signals: facts.signals ?? [],
      };
    case "verification":
      return facts.state === undefined || facts.state === null ? {} : { state: facts.state };
    case "stream-updated":
      return facts.reason ? { status: facts.status, reason: facts.reason } : { status: facts.status };
  }
}

/**
 * The claims of one SET: iss, aud, iat, jti, txn, the top-level sub_id (RFC 9493), one event; no
 * `sub` and no `exp` (SSF 1.0 §4.1.5 and §4.1.8). iat is the row's creation time, so a retry
 * sends the same claims.
 */
export function setClaims(event: OutboxEvent, context: SetContext): Record<string, unknown> {
  return {
    iss: context.issuer,
    aud: context.audience,
    iat: seconds(event.createdAt),
    jti: event.jti,
    txn: event.txn,
    sub_id: subjectOf(event, context.issuer),
    events: { [EVENT_TYPES[event.kind]]: eventBody(event) },
  };
}
