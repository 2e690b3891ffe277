import { END_REASON_NAMES } from "../../src/domain/end-reason";
import { backoffSeconds } from "../../src/signals/push-delivery";
import { EVENT_TYPES, setClaims, userAgentFingerprint, type OutboxEvent } from "../../src/signals/security-events";

const context = { issuer: "https://sessions.example.com", audience: "ssf-client" };
const base: Omit<OutboxEvent, "kind" | "facts"> = {
  jti: "6f1c1d2e-0000-4000-8000-000000000001",
  txn: "tx-1",
  userId: "11111111-1111-4111-8111-111111111111",
  sessionId: "22222222-2222-4222-8222-222222222222",
  streamId: "33333333-3333-4333-8333-333333333333",
  createdAt: new Date("2026-12-04T10:00:00.900Z"),
};

describe("the claims of a security event token", () => {
  test("session-revoked: the envelope SSF 1.0 asks for, and CAEP's fields for every reason", () => {
    const expected = { ADMIN_LOGOUT: "admin", LOGOUT: "user", TERMINATED: "user", TERMINATED_OTHERS: "user", PASSWORD_CHANGED: "user", REFRESH_TOKEN_REUSE: "policy", EXPIRED: "system" };
    for (const reason of END_REASON_NAMES) {
      const claims = setClaims({ ...base, kind: "session-revoked", facts: { reason, endedAt: "2026-12-04T10:00:00.400Z", endedBy: base.userId } }, context);
      expect(claims).toEqual({
        iss: context.issuer,
        aud: "ssf-client",
        iat: 1796378400,
        jti: base.jti,
        txn: "tx-1",
        sub_id: { format: "complex", user: { format: "iss_sub", iss: context.issuer, sub: base.userId }, session: { format: "opaque", id: base.sessionId } },
        events: { [EVENT_TYPES["session-revoked"]]: expect.any(Object) },
      });
      const event = (claims.events as Record<string, Record<string, any>>)[EVENT_TYPES["session-revoked"]];
      expect(event.initiating_entity).toBe(expected[reason]);
      expect(event.event_timestamp).toBe(1796378400);
      expect(event.reason_admin.en.length).toBeGreaterThan(10);
      expect(event.reason_user.en.length).toBeGreaterThan(10);
      expect(event.session_end_reason).toBe(reason);
    }
    // A password an operator set (npm run user:create) ended them: no user did.
    const reset = setClaims({ ...base, kind: "session-revoked", facts: { reason: "PASSWORD_CHANGED", endedAt: "2026-12-04T10:00:00Z", endedBy: null } }, context);
    expect((reset.events as any)[EVENT_TYPES["session-revoked"]]).toMatchObject({ initiating_entity: "admin", reason_user: { en: "Your password was reset by an administrator, so you were logged out." } });
  });

  test("credential-change: a password, updated, by the user or an operator; no session in the subject", () => {
    const byUser = setClaims({ ...base, sessionId: null, kind: "credential-change", facts: { at: "2026-12-04T10:00:00Z", initiator: "user" } }, context);
    expect(byUser.sub_id).toEqual({ format: "complex", user: { format: "iss_sub", iss: context.issuer, sub: base.userId } });
    expect((byUser.events as any)[EVENT_TYPES["credential-change"]]).toMatchObject({ credential_type: "password", change_type: "update", initiating_entity: "user" });
    const byAdmin = setClaims({ ...base, sessionId: null, kind: "credential-change", facts: { at: "2026-12-04T10:00:00Z", initiator: "admin" } }, context);
    expect((byAdmin.events as any)[EVENT_TYPES["credential-change"]].initiating_entity).toBe("admin");
  });

  test("session-established: the address, a fingerprint of the user agent (not the agent itself), the session's signals", () => {
    const agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X)";
    const claims = setClaims({ ...base, kind: "session-established", facts: { at: "2026-12-04T10:00:00Z", ip: "203.0.113.9", userAgent: agent, signals: ["NEW_DEVICE"] } }, context);
    const event = (claims.events as any)[EVENT_TYPES["session-established"]];
    expect(event).toEqual({ event_timestamp: 1796378400, ips: ["203.0.113.9"], fp_ua: userAgentFingerprint(agent), amr: ["pwd"], session_signals: ["NEW_DEVICE"] });
    expect(JSON.stringify(claims)).not.toContain("iPhone");
  });

  test("verification and stream-updated are about the stream", () => {
    const verification = setClaims({ ...base, userId: null, sessionId: null, kind: "verification", facts: { state: "abc" } }, context);
    expect(verification.sub_id).toEqual({ format: "opaque", id: base.streamId });
    expect((verification.events as any)[EVENT_TYPES.verification]).toEqual({ state: "abc" });
    const updated = setClaims({ ...base, userId: null, sessionId: null, kind: "stream-updated", facts: { status: "paused" } }, context);
    expect((updated.events as any)[EVENT_TYPES["stream-updated"]]).toEqual({ status: "paused" });
  });

  test("no sub and no exp, ever", () => {
    for (const kind of Object.keys(EVENT_TYPES) as OutboxEvent["kind"][]) {
      const claims = setClaims({ ...base, kind, facts: { reason: "LOGOUT", endedAt: "2026-12-04T10:00:00Z", at: "2026-12-04T10:00:00Z" } }, context);
      expect(claims).not.toHaveProperty("sub");
      expect(claims).not.toHaveProperty("exp");
    }
  });
});

test("push back-off: full jitter under a ceiling that doubles up to 30 s, never below half a second", () => {
  expect(backoffSeconds(0, () => 1)).toBe(1);
  expect(backoffSeconds(3, () => 1)).toBe(8);
  expect(backoffSeconds(20, () => 1)).toBe(30);
  expect(backoffSeconds(20, () => 0)).toBe(0.5);
});
