import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { LogoutDocument } from "../../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail } from "../helpers/accounts";
import { request } from "../helpers/graphql-client";
import { CAEP, POLL, PUSH, receiverToken, registerReceiver, ssfCall, type Registered } from "../helpers/ssf";
import { useTestServer } from "../helpers/test-server";
import { writeSnippets } from "./doc-snippets";

// docs/signals.md's receiver.ts and poll.ts, run as written there against a real server.

/** What the page's code exports, as this test uses it (the files exist only once written out). */
interface SecurityEvent {
  jti: string;
  txn: string;
  type: string;
  event: Record<string, unknown>;
  subject: { format: string; user?: { iss: string; sub: string }; session?: { id: string }; id?: string };
}
interface Trust {
  jwksUri: string;
  issuer: string;
  clientId: string;
}
interface ReceiverModule {
  startReceiver(options: Trust & { port?: number; onEvent(event: SecurityEvent): void | Promise<void> }): Promise<Server>;
}
interface PollModule {
  pollEvents(options: Trust & { pollUrl: string; token(): Promise<string>; onEvent(event: SecurityEvent): void | Promise<void>; signal: AbortSignal }): Promise<void>;
}

/** Events as onEvent was told them, with a way to wait for one. */
class Told {
  readonly events: SecurityEvent[] = [];
  add = (event: SecurityEvent): void => {
    this.events.push(event);
  };
  async next(matches: (event: SecurityEvent) => boolean, timeoutMs = 10_000): Promise<SecurityEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`not told within ${timeoutMs} ms (told: ${this.events.map((e) => e.type.split("/").pop()).join(", ") || "nothing"})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const about = (sessionId: string, kind: string) => (e: SecurityEvent) => e.type === `${CAEP}${kind}` && e.subject.session?.id === sessionId;

describe("docs/signals.md's receiver, run", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, SIGNALS_INSECURE_HOSTS: "127.0.0.1" });
  let receiverModule: ReceiverModule;
  let pollModule: PollModule;
  let receiver: Registered;
  let token: string;
  let trust: Trust;

  beforeAll(async () => {
    const { dir, blocks } = writeSnippets("docs/signals.md", "doc-snippets-run");
    expect(blocks.map((b) => b.file)).toEqual(expect.arrayContaining(["receiver.ts", "poll.ts"]));
    receiverModule = (await import(path.join(dir, "receiver.ts"))) as ReceiverModule;
    pollModule = (await import(path.join(dir, "poll.ts"))) as PollModule;

    receiver = await registerReceiver(server, (await login(server, adminEmail)).accessToken, "Docs example");
    token = await receiverToken(server, receiver);
    const discovery = (await ssfCall(server, "GET", "/.well-known/ssf-configuration")).json;
    // The test server listens on 127.0.0.1; its issuer says localhost, which may resolve to ::1.
    trust = { jwksUri: discovery.jwks_uri.replace("localhost", "127.0.0.1"), issuer: discovery.issuer, clientId: receiver.clientId };
  });

  describe("by push", () => {
    const told = new Told();
    /** onEvent throws the first time these sessions' session-revoked comes: the receiver answers 503. */
    const failOnce = new Set<string>();
    /** Every call of onEvent, by jti. */
    const calls: string[] = [];
    let running: Server;
    let url: string;

    beforeAll(async () => {
      running = await receiverModule.startReceiver({
        ...trust,
        onEvent(event) {
          calls.push(event.jti);
          const session = event.subject.session?.id;
          if (session && event.type === `${CAEP}session-revoked` && failOnce.delete(session)) throw new Error("not now");
          told.add(event);
        },
      });
      url = `http://127.0.0.1:${(running.address() as AddressInfo).port}/ssf/events`;
      const created = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: PUSH, endpoint_url: url } } });
      expect(created.status).toBe(201);
    });
    afterAll(async () => {
      await new Promise((resolve) => running?.close(resolve));
    });

    test("a login and a logout reach onEvent as verified SETs: session-established, then session-revoked (LOGOUT)", async () => {
      const email = uniqueEmail();
      await signUp(server, email);
      const user = await login(server, email);
      const established = await told.next(about(user.session.id, "session-established"));
      expect(established.subject.user).toEqual({ format: "iss_sub", iss: trust.issuer, sub: user.user.id });
      await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
      const revoked = await told.next(about(user.session.id, "session-revoked"));
      expect(revoked.event).toMatchObject({ initiating_entity: "user", session_end_reason: "LOGOUT", reason_user: { en: "You logged out on this device." } });
      expect(revoked.jti).not.toBe(established.jti);
      // Each event once.
      expect(calls.filter((jti) => jti === revoked.jti)).toHaveLength(1);
    });

    test("an onEvent that throws is answered 503, and the event comes again", async () => {
      const user = await signUp(server);
      failOnce.add(user.session.id);
      await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
      // Behind the 503, in order, wait the stream's other events, some of which this receiver may
      // answer 503 too while its cached JWKS lacks a key another instance just published (jose
      // looks again only after 30 s): the retry may take that long.
      const revoked = await told.next(about(user.session.id, "session-revoked"), 50_000);
      expect(calls.filter((jti) => jti === revoked.jti)).toHaveLength(2);
    }, 60_000);

    test("a SET it cannot verify is refused with 400 and RFC 8935's error body; a repeat is answered 202 and told once", async () => {
      const post = (body: string, contentType = "application/secevent+jwt") => fetch(url, { method: "POST", headers: { "content-type": contentType }, body });
      // A real SET for this receiver, taken from a poll stream: a verification.
      const side = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: POLL } } });
      expect((await ssfCall(server, "POST", "/ssf/verify", { token, body: { stream_id: side.json.stream_id, state: "docs" } })).status).toBe(204);
      const polled = await ssfCall(server, "POST", `/ssf/poll/${side.json.stream_id}`, { token, body: { returnImmediately: true } });
      const [real] = Object.values(polled.json.sets as Record<string, string>);
      expect((await ssfCall(server, "DELETE", `/ssf/streams?stream_id=${side.json.stream_id}`, { token })).status).toBe(204);
      expect((await post(real)).status).toBe(202);
      expect((await post(real)).status).toBe(202);
      const jti = decodeJwt(real).jti;
      expect(calls.filter((j) => j === jti)).toHaveLength(1);
      expect(told.events.find((e) => e.jti === jti)?.event).toEqual({ state: "docs" });

      // Signed by another key under the real kid: the signature fails.
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const forged = await new SignJWT(decodeJwt(real)).setProtectedHeader({ alg: "RS256", typ: "secevent+jwt", kid: decodeProtectedHeader(real).kid }).sign(privateKey);
      const refused = await post(forged);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ err: "invalid_key", description: expect.any(String) });
      const notJwt = await post("not a token");
      expect([notJwt.status, ((await notJwt.json()) as { err: string }).err]).toEqual([400, "invalid_request"]);
      expect((await post(real, "application/json")).status).toBe(400);
    });
  });

  test("by poll: pollEvents gets a logout as a verified session-revoked and acknowledges it", async () => {
    const created = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: POLL }, events_requested: [`${CAEP}session-revoked`] } });
    expect(created.status).toBe(201);
    const told = new Told();
    const stop = new AbortController();
    const polling = pollModule.pollEvents({
      ...trust,
      pollUrl: created.json.delivery.endpoint_url.replace("localhost", "127.0.0.1"),
      token: async () => token,
      onEvent: told.add,
      signal: stop.signal,
    });
    try {
      const user = await signUp(server);
      await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken });
      const revoked = await told.next(about(user.session.id, "session-revoked"));
      expect(revoked.event.session_end_reason).toBe("LOGOUT");
      // Acknowledged by the next poll: it leaves the stream.
      await waitFor(async () => {
        const left = await ssfCall(server, "POST", new URL(created.json.delivery.endpoint_url).pathname, { token, body: { returnImmediately: true, maxEvents: 1000 } });
        return !Object.keys(left.json.sets).includes(revoked.jti);
      });
    } finally {
      stop.abort();
      await polling;
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
