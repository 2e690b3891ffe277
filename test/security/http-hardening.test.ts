import { getIntrospectionQuery, print } from "graphql";
import { CloseCode } from "graphql-ws";
import { LoginDocument, LogoutDocument, MySessionsDocument, SignUpDocument } from "../../web/src/gql/graphql";
import { PASSWORD, signUp, uniqueEmail, USER_AGENTS, userWithSessions, type Signed } from "../helpers/accounts";
import { accountsNamed, expectActive, expectCode, sessionFrom } from "../helpers/checks";
import { codeOf, dataOf, request, requestRaw, sendHttp, type GraphQLResult } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";
import { WsTestClient } from "../helpers/ws-client";
import { algNone, forge, nowSeconds } from "../helpers/forged-tokens";

const ALLOWED_ORIGIN = "https://app.example";
const MAX_BODY_BYTES = 64 * 1024;

/** `{ __type { ofType { ofType ... { name } } } }` nested exactly `depth` fields deep. */
function introspectionOfDepth(depth: number): string {
  const ofTypes = depth - 2;
  return `{ __type(name: "Query") { ${"ofType { ".repeat(ofTypes)}name${" }".repeat(ofTypes)} } }`;
}

/** The same depth, but every level hidden behind its own named fragment. */
function fragmentsOfDepth(depth: number): string {
  const levels = depth - 2;
  const fragments = Array.from({ length: levels }, (_, i) => `fragment L${i} on __Type { ofType { ${i + 1 < levels ? `...L${i + 1}` : "name"} } }`);
  return `{ __type(name: "Query") { ...L0 } }\n${fragments.join("\n")}`;
}

/** The same depth, with every selection set wrapped in an inline fragment. */
function inlineFragmentsOfDepth(depth: number): string {
  const ofTypes = depth - 2;
  return `{ __type(name: "Query") { ${"... on __Type { ofType { ".repeat(ofTypes)}name${" } }".repeat(ofTypes)} } }`;
}

function aliases(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(" ")} }`;
}

/** A token with the header swapped for alg "none" and no signature (RFC 8725 §2.1). */

describe("HTTP and WebSocket hardening", () => {
  const server = useTestServer({ ALLOWED_ORIGINS: ALLOWED_ORIGIN });
  // For the tests that only need a live token and check that what they tried left it live.
  let user: Signed;
  // graphql-ws waits 3 s for connection_init: this socket starts waiting with the server, so
  // the wait runs alongside the other tests ("no connection_init within 3 s" checks it).
  let idle: WsTestClient;

  beforeAll(async () => {
    idle = new WsTestClient(server.wsUrl);
    user = await signUp(server);
  });

  describe("cross-site requests (CSRF)", () => {
    test.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
      "[plan 34] a POST as %s is refused with 400 and not executed",
      async (contentType) => {
        const response = await requestRaw(server.graphqlUrl, { query: "mutation { logout }" }, { token: user.accessToken, headers: { "content-type": contentType } });
        expect(response.status).toBe(400);
        expect(codeOf(response)).toBe("BAD_USER_INPUT");
        await expectActive(server, user.accessToken);
      },
    );

    test("[plan 34] a mutation in a GET query string is not executed, with or without a preflight header", async () => {
      for (const headers of [{}, { "apollo-require-preflight": "true" }] as Record<string, string>[]) {
        const response = await sendHttp(`${server.graphqlUrl}?query=${encodeURIComponent("mutation { logout }")}`, { token: user.accessToken, headers });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(codeOf(response)).toBe("BAD_USER_INPUT");
      }
      await expectActive(server, user.accessToken);
    });

    // Apollo's CSRF prevention: a request a page could send without a preflight is not executed at all.
    test("[plan 34] a simple GET, even of a query, is refused unless it carries a preflight-forcing header", async () => {
      const url = `${server.graphqlUrl}?query=${encodeURIComponent("{ me { id } }")}`;
      const simple = await sendHttp(url, { token: user.accessToken });
      expect(simple.status).toBe(400);
      expect(simple.data ?? null).toBeNull();
      expect(codeOf(simple)).toBe("BAD_USER_INPUT");
      const preflighted = await sendHttp(url, { token: user.accessToken, headers: { "apollo-require-preflight": "true" } });
      expect(preflighted.data).toEqual({ me: { id: user.user.id } });
    });
  });

  describe("request shape", () => {
    test("[plan 40] a JSON array (batching) is refused with 400 and nothing in it runs", async () => {
      const [first, second] = [uniqueEmail("batch"), uniqueEmail("batch")];
      const signUps = [first, second].map((email) => ({ query: print(SignUpDocument), variables: { email, password: PASSWORD } }));
      const batch = [{ query: "mutation { logout }" }, { query: "{ me { id } }" }, ...signUps];
      const response = await requestRaw(server.graphqlUrl, batch, { token: user.accessToken });
      expect(response.status).toBe(400);
      expect(codeOf(response)).toBe("BAD_USER_INPUT");
      await expectActive(server, user.accessToken);
      expect(await accountsNamed(server, first)).toBe(0);
      expect(await accountsNamed(server, second)).toBe(0);
    });

    test("[plan 37] a body over 64 KiB, up to 10 MB, is 413 in GraphQL's shape, with BAD_USER_INPUT, before any parsing", async () => {
      const rssBefore = process.memoryUsage().rss;
      for (const size of [MAX_BODY_BYTES, 10 * 1024 * 1024]) {
        for (const body of [
          JSON.stringify({ query: "{ __typename }", variables: { email: "x".repeat(size) } }),
          JSON.stringify({ query: `{ __typename } # ${"x".repeat(size)}` }),
        ]) {
          const response = await requestRaw(server.graphqlUrl, body);
          expect(response.status).toBe(413);
          expect(response.contentType).toMatch(/^application\/json/);
          expect(codeOf(response)).toBe("BAD_USER_INPUT");
        }
      }
      // The server (in this process) did not keep the megabytes: at most our own four request bodies.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    });

    test("a body just under the limit is served", async () => {
      const query = "{ __typename }";
      const padding = "x".repeat(MAX_BODY_BYTES - 100);
      const response = await requestRaw<{ __typename: string }>(server.graphqlUrl, { query, variables: { padding } });
      expect(dataOf(response).__typename).toBe("Query");
    });

    test.each([
      ["not JSON", "{ not json"],
      ["cut short", '{"query": "{ __typename }"'],
      ["a NUL byte", "\u0000"],
    ])("malformed JSON (%s) is 400 with BAD_USER_INPUT", async (_label, body) => {
      const response = await requestRaw(server.graphqlUrl, body);
      expect(response.status).toBe(400);
      expect(response.contentType).toMatch(/^application\/json/);
      expect(codeOf(response)).toBe("BAD_USER_INPUT");
    });
  });

  describe("query cost limits, enforced at validation", () => {
    const expectRejected = (response: GraphQLResult<unknown>) => {
      expect(response.status).toBe(400);
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "GRAPHQL_VALIDATION_FAILED" });
    };

    test("[plan 38] depth 15 is served; depth 16 is rejected, written out or through fragments", async () => {
      for (const ofDepth of [introspectionOfDepth, fragmentsOfDepth, inlineFragmentsOfDepth]) {
        dataOf(await requestRaw(server.graphqlUrl, { query: ofDepth(15) }));
        expectRejected(await requestRaw(server.graphqlUrl, { query: ofDepth(16) }));
      }
      expectRejected(await requestRaw(server.graphqlUrl, { query: introspectionOfDepth(200) }));
    });

    test("the standard introspection query, as IDEs send it, fits the depth limit", async () => {
      const result = dataOf(await requestRaw<{ __schema: { types: unknown[] } }>(server.graphqlUrl, { query: getIntrospectionQuery() }));
      expect(result.__schema.types.length).toBeGreaterThan(0);
    });

    test("[plan 39] 15 aliases are served; 16 are rejected", async () => {
      expect(Object.keys(dataOf(await requestRaw<object>(server.graphqlUrl, { query: aliases(15) })))).toHaveLength(15);
      expectRejected(await requestRaw(server.graphqlUrl, { query: aliases(16) }));
      expectRejected(await requestRaw(server.graphqlUrl, { query: aliases(500) }));
    });

    test("[plan 39] login twice in one document is rejected and neither attempt runs", async () => {
      const { email, sessions: [own] } = await userWithSessions(server, 1);
      const attempt = `login(email: "${email}", password: "${PASSWORD}") { accessToken }`;
      expectRejected(await requestRaw(server.graphqlUrl, { query: `mutation { a: ${attempt} b: ${attempt} }` }));
      // Two operations in one document count together, whichever one is run.
      expectRejected(await requestRaw(server.graphqlUrl, { query: `mutation A { ${attempt} } mutation B { ${attempt} }`, operationName: "A" }));
      const { mySessions } = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: own.accessToken }));
      expect(mySessions).toHaveLength(1);
    });

    test("[plan 39] signUp twice in one document is rejected and no account is created", async () => {
      const [first, second] = [uniqueEmail(), uniqueEmail()];
      const signUpOf = (email: string) => `signUp(email: "${email}", password: "${PASSWORD}") { accessToken }`;
      expectRejected(await requestRaw(server.graphqlUrl, { query: `mutation { a: ${signUpOf(first)} b: ${signUpOf(second)} }` }));
      // Both emails are still free.
      await Promise.all([signUp(server, first), signUp(server, second)]);
    });

    test.each([
      ["two fragments spreading each other", "{ me { ...A } } fragment A on User { id ...B } fragment B on User { email ...A }"],
      ["a fragment spreading itself", "{ me { ...A } } fragment A on User { id ...A }"],
    ])("[plan 38] a fragment cycle (%s) is rejected, not a hang", async (_label, query) => {
      expectRejected(await requestRaw(server.graphqlUrl, { query }));
    });

    // Each fragment spreads the next one twice: 2^n paths through a document of n lines.
    // Walking every path instead of every fragment once would block the event loop for minutes.
    test("[plan 38] fragments that fan out exponentially are validated in linear time", async () => {
      const levels = 24;
      const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
      const query = `{ ...F0 }\n${fragments.join("\n")}\nfragment F${levels} on Query { __typename }`;
      const started = Date.now();
      expect(dataOf(await requestRaw<{ __typename: string }>(server.graphqlUrl, { query })).__typename).toBe("Query");
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });

  test("introspection is served by default", async () => {
    const result = dataOf(await requestRaw<{ __schema: { queryType: { name: string } } }>(server.graphqlUrl, { query: "{ __schema { queryType { name } } }" }));
    expect(result.__schema.queryType.name).toBe("Query");
  });

  // Both switches shrink what an anonymous client can reach; one server checks the two.
  describe("a locked-down deployment (INTROSPECTION_ENABLED=false, SIGNUP_ENABLED=false, HSTS_ENABLED=true)", () => {
    const closed = useTestServer({ INTROSPECTION_ENABLED: "false", SIGNUP_ENABLED: "false", HSTS_ENABLED: "true" });

    test("[plan 41] over the WebSocket too: no introspection, no suggestions", async () => {
      const signed = await signUp(closed).catch(() => null);
      // Sign-up is off here: the socket authenticates with a session made through the service.
      const email = uniqueEmail();
      await closed.services.accounts.provision(email, { password: PASSWORD });
      const { login: session } = dataOf(await request(closed.graphqlUrl, LoginDocument, { email, password: PASSWORD }));
      expect(signed).toBeNull();
      const client = new WsTestClient(closed.wsUrl);
      await client.init({ authorization: `Bearer ${session.accessToken}` });
      client.subscribe("schema", "{ __schema { types { name } } }");
      client.subscribe("typo", "{ mySesions { id } }");
      for (const id of ["schema", "typo"]) {
        const reply = await client.waitFor((m) => m.id === id);
        expect(reply.type).toBe("error");
        const [error] = reply.payload as { message: string; extensions: Record<string, unknown> }[];
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "GRAPHQL_VALIDATION_FAILED" });
        expect(error.message).not.toMatch(/Did you mean/);
      }
      client.subscribe("typename", "{ __typename }");
      expect((await client.waitFor((m) => m.id === "typename")).payload).toEqual({ data: { __typename: "Query" } });
      client.close();
    });

    // docs/api.md, Changes 10: the switch is for everyone else; administrators keep the IDE's docs and completion.
    test("an ADMIN's token may introspect and gets suggestions, on HTTP and on the WebSocket; once demoted, it may not", async () => {
      const email = uniqueEmail("admin");
      await closed.services.accounts.provision(email, { password: PASSWORD, role: "ADMIN" });
      const admin = dataOf(await request(closed.graphqlUrl, LoginDocument, { email, password: PASSWORD })).login;
      const schemaQuery = "{ __schema { queryType { name } } }";
      for (const query of [schemaQuery, '{ __type(name: "Session") { fields { name } } }', getIntrospectionQuery()]) {
        expect(dataOf(await requestRaw(closed.graphqlUrl, { query }, { token: admin.accessToken }))).toBeTruthy();
        // The document Apollo validated and kept for the ADMIN is still refused to anyone else.
        const anonymous = await requestRaw(closed.graphqlUrl, { query });
        expect([anonymous.status, codeOf(anonymous), anonymous.data ?? null]).toEqual([400, "BAD_USER_INPUT", null]);
      }
      const typo = await requestRaw(closed.graphqlUrl, { query: "{ mySesions { id } }" }, { token: admin.accessToken });
      expect(typo.errors?.[0]?.message).toMatch(/Did you mean "mySessions"\?/);

      const client = new WsTestClient(closed.wsUrl);
      await client.init({ authorization: `Bearer ${admin.accessToken}` });
      client.subscribe("schema", schemaQuery);
      expect((await client.waitFor((m) => m.id === "schema")).payload).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
      client.subscribe("typo", "{ mySesions { id } }");
      const reply = await client.waitFor((m) => m.id === "typo");
      expect([reply.type, (reply.payload as { message: string }[])[0].message]).toEqual(["error", expect.stringMatching(/Did you mean "mySessions"\?/)]);

      // The token still says ADMIN; the caller the service authenticated does not.
      await closed.services.accounts.provision(email, { role: "USER" });
      const demoted = await requestRaw(closed.graphqlUrl, { query: schemaQuery }, { token: admin.accessToken });
      expect([demoted.status, codeOf(demoted)]).toEqual([400, "BAD_USER_INPUT"]);
      dataOf(await request(closed.graphqlUrl, MySessionsDocument, {}, { token: admin.accessToken }));
      client.subscribe("after", schemaQuery);
      const refused = await client.waitFor((m) => m.id === "after");
      expect([refused.type, (refused.payload as { extensions: unknown }[])[0].extensions]).toEqual(["error", { code: "BAD_USER_INPUT", reason: "GRAPHQL_VALIDATION_FAILED" }]);
      client.close();
    });

    test("behind TLS, every response tells browsers to keep to HTTPS", async () => {
      for (const response of [await requestRaw(closed.graphqlUrl, { query: "{ __typename }" }), await sendHttp(`${closed.url}/healthz`)]) {
        expect(response.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
      }
    });

    test("[plan 41] introspection is refused; __typename still works; no suggestions", async () => {
      for (const query of ["{ __schema { queryType { name } } }", '{ __type(name: "Session") { fields { name } } }', getIntrospectionQuery()]) {
        const response = await requestRaw(closed.graphqlUrl, { query });
        expect(response.status).toBe(400);
        expect(response.data ?? null).toBeNull();
        expect(codeOf(response)).toBe("BAD_USER_INPUT");
      }
      expect(dataOf(await requestRaw<{ __typename: string }>(closed.graphqlUrl, { query: "{ __typename }" })).__typename).toBe("Query");
      // Nor does a typo get the schema back piece by piece through suggestions.
      const typo = await requestRaw(closed.graphqlUrl, { query: "{ mySesions { id } }" });
      expect(codeOf(typo)).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean|mySessions/);
    });

    test("signUp is FORBIDDEN and creates no user", async () => {
      const email = uniqueEmail();
      expectCode(await request(closed.graphqlUrl, SignUpDocument, { email, password: PASSWORD }), "FORBIDDEN");
      expect(await accountsNamed(closed, email)).toBe(0);
      expectCode(await request(closed.graphqlUrl, LoginDocument, { email, password: PASSWORD }), "UNAUTHENTICATED");
    });

    test("existing users still log in", async () => {
      const email = uniqueEmail();
      await closed.services.accounts.provision(email, { password: PASSWORD });
      expect(dataOf(await request(closed.graphqlUrl, LoginDocument, { email, password: PASSWORD })).login.user.email).toBe(email);
    });
  });

  describe("security headers", () => {
    test("every response carries them: API, health, IDE, assets, and a path that is not there", async () => {
      const responses = [
        await requestRaw(server.graphqlUrl, { query: "{ __typename }" }),
        await requestRaw(server.graphqlUrl, "not json"),
        await sendHttp(`${server.url}/healthz`),
        await sendHttp(server.graphqlUrl, { headers: { accept: "text/html" } }),
        await sendHttp(`${server.graphqlUrl}/ide/ide.js`),
        await sendHttp(`${server.url}/nothing-here`),
      ];
      for (const { headers } of responses) {
        expect(headers["x-content-type-options"]).toBe("nosniff");
        expect(headers["content-security-policy"]).toMatch(/default-src 'none'/);
        expect(headers["x-frame-options"]).toBeDefined();
        expect(headers["referrer-policy"]).toBe("no-referrer");
        expect(headers["x-powered-by"]).toBeUndefined();
        // Plain HTTP here, and not told otherwise: no HSTS pinning localhost to HTTPS.
        expect(headers["strict-transport-security"]).toBeUndefined();
      }
      // Nothing may frame the API.
      expect(responses[0].headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    });

    // An authenticated answer (sessions, emails, activity) must not outlive the request in a browser's or a proxy's cache.
    test("every GraphQL answer is Cache-Control: no-store, on the direct POST path and through Express", async () => {
      const get = (query: string) => `${server.graphqlUrl}?query=${encodeURIComponent(query)}`;
      const responses = {
        "POST, authenticated": await request(server.graphqlUrl, MySessionsDocument, {}, { token: user.accessToken }),
        "POST, anonymous": await requestRaw(server.graphqlUrl, { query: "{ __typename }" }),
        "POST, not JSON": await requestRaw(server.graphqlUrl, "not json", { token: user.accessToken }),
        "POST, too large": await requestRaw(server.graphqlUrl, { query: `{ __typename } #${"x".repeat(MAX_BODY_BYTES)}` }, { token: user.accessToken }),
        "GET, authenticated (Express)": await sendHttp(get("{ me { id email } }"), { token: user.accessToken, headers: { "apollo-require-preflight": "true" } }),
        "POST as text/plain (Express)": await requestRaw(server.graphqlUrl, { query: "{ me { id } }" }, { token: user.accessToken, headers: { "content-type": "text/plain" } }),
      };
      expect(dataOf(responses["GET, authenticated (Express)"] as GraphQLResult<{ me: { id: string } }>).me.id).toBe(user.user.id);
      dataOf(responses["POST, authenticated"]);
      for (const [label, response] of Object.entries(responses)) expect([label, response.headers["cache-control"]]).toEqual([label, "no-store"]);
    });
  });

  describe("CORS (ALLOWED_ORIGINS)", () => {
    const preflight = (origin: string) =>
      sendHttp(server.graphqlUrl, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });

    test("a configured origin's SPA may call the API with a bearer token, without cookies", async () => {
      const allowed = await preflight(ALLOWED_ORIGIN);
      expect(allowed.status).toBe(204);
      expect(allowed.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
      expect(String(allowed.headers["access-control-allow-headers"]).toLowerCase()).toMatch(/authorization/);
      expect(allowed.headers["access-control-allow-credentials"]).toBeUndefined();
      const call = await requestRaw(server.graphqlUrl, { query: "{ me { id } }" }, { token: user.accessToken, headers: { origin: ALLOWED_ORIGIN } });
      expect(call.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
      expect(dataOf(call)).toEqual({ me: { id: user.user.id } });
    });

    test("any other origin gets no CORS grant, so a browser will not hand it the response", async () => {
      for (const origin of ["https://evil.example", "https://app.example.evil.example", "null"]) {
        expect((await preflight(origin)).headers["access-control-allow-origin"]).toBeUndefined();
        const call = await requestRaw(server.graphqlUrl, { query: "{ __typename }" }, { headers: { origin } });
        expect(call.headers["access-control-allow-origin"]).toBeUndefined();
      }
    });
  });

  // 503 while the database is unreachable is covered by test/database-outage.test.ts (PostgreSQL run).
  test("GET /healthz is 200 with a small JSON body", async () => {
    const response = await sendHttp(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(response.text)).toMatchObject({ status: "ok" });
    expect(response.text.length).toBeLessThan(200);
  });

  // docs/api.md, "Device, browser, IP and location": the header is client-written unless a proxy of ours appended to it.
  test("[plan 35] X-Forwarded-For is ignored without TRUST_PROXY: the peer address, no location", async () => {
    const forwarded = ["8.8.8.8", "6.6.6.6, 8.8.8.8", "2001:4860:4860::8888"];
    const sessions = await Promise.all(forwarded.map((address) => sessionFrom(server, { "x-forwarded-for": address })));
    for (const session of sessions) {
      expect(session.ipAddress).toBe("127.0.0.1");
      expect(session.location).toBeNull();
    }
  });

  test("sessionRevoked asked for over HTTP POST is not served", async () => {
    for (const accept of ["application/json", 'multipart/mixed;subscriptionSpec="1.0", application/json']) {
      const response = await requestRaw(server.graphqlUrl, { query: "subscription { sessionRevoked { sessionId reason } }" }, { token: user.accessToken, headers: { accept }, timeoutMs: 10_000 });
      expect(response.contentType).toMatch(/^application\/json/);
      expect(response.data ?? null).toBeNull();
      // The client's mistake, not a server fault: a client error, and not one that makes it drop its token.
      expect(codeOf(response)).toBe("BAD_USER_INPUT");
    }
    await expectActive(server, user.accessToken);
  });

  describe("WebSocket upgrade", () => {
    const openWith = (headers: Record<string, string>, url = server.wsUrl) => new WsTestClient(url, { headers });

    test.each(["https://evil.example", "null", "http://127.0.0.1:1", `${ALLOWED_ORIGIN}.evil.example`, "not a url"])(
      "[plan 32] Origin %p is refused with 403 before any protocol message",
      async (origin) => {
        const client = openWith({ origin });
        await expect(client.opened).rejects.toThrow("upgrade refused: 403");
        expect(client.messages).toEqual([]);
      },
    );

    test("[plan 32] origins that only contain the service's host are refused", async () => {
      const host = `127.0.0.1:${server.port}`;
      for (const origin of [`http://${host}.evil.example`, `https://evil.example#${host}`, `https://${host}@evil.example`, `https://evil.example/${host}`]) {
        await expect(openWith({ origin }).opened).rejects.toThrow("upgrade refused: 403");
      }
    });

    test("[plan 32] the service's own origin, a configured one, and no Origin at all (native clients) are accepted", async () => {
      for (const headers of [{ origin: `http://127.0.0.1:${server.port}` }, { origin: ALLOWED_ORIGIN }, {}] as Record<string, string>[]) {
        const client = openWith(headers);
        await client.init({ authorization: `Bearer ${user.accessToken}` });
        client.close();
      }
    });

    test("[plan 32] the Host header is not believed: a rebound DNS name whose Host matches its Origin, and our host on another scheme, are refused", async () => {
      const rebound = openWith({ origin: "http://evil.example", host: "evil.example" });
      await expect(rebound.opened).rejects.toThrow("upgrade refused: 403");
      const otherScheme = openWith({ origin: `https://127.0.0.1:${server.port}` });
      await expect(otherScheme.opened).rejects.toThrow("upgrade refused: 403");
    });

    test("another path is 404", async () => {
      for (const path of ["/", "/graphqlx", "/graphql/x", "/healthz"]) {
        const client = openWith({}, `ws://127.0.0.1:${server.port}${path}`);
        await expect(client.opened).rejects.toThrow("upgrade refused: 404");
      }
    });
  });

  describe("WebSocket upgrade behind a balancer (PUBLIC_URL)", () => {
    const behind = useTestServer({ PUBLIC_URL: "http://sessions.example:8080" });

    test("the public origin is the service's own, with its port; the loopback ones no longer are", async () => {
      const accepted = new WsTestClient(behind.wsUrl, { headers: { origin: "http://sessions.example:8080", host: "sessions.example:8080" } });
      await accepted.init({ authorization: `Bearer ${(await signUp(behind)).accessToken}` });
      accepted.close();
      for (const origin of ["http://sessions.example", `http://127.0.0.1:${behind.port}`]) {
        await expect(new WsTestClient(behind.wsUrl, { headers: { origin } }).opened).rejects.toThrow("upgrade refused: 403");
      }
    });
  });

  describe("WebSocket authentication at connection_init", () => {
    // The contract allows Unauthorized or Forbidden (4401, 4403); 4500 would be a server fault that clients never retry.
    async function expectRefused(payload: unknown, refusedCodes = [CloseCode.Unauthorized, CloseCode.Forbidden]): Promise<void> {
      const client = new WsTestClient(server.wsUrl);
      const refusal = await client.init(payload).then(
        () => null,
        (error: { code?: number }) => error.code,
      );
      expect(refusedCodes).toContain(refusal);
      expect(client.messagesOfType("connection_ack")).toEqual([]);
    }

    test("[plan 27] no payload", () => expectRefused(undefined));
    test("[plan 27] an empty payload", () => expectRefused({}));
    test("[plan 27] a garbage token", () => expectRefused({ authorization: "Bearer garbage.garbage.garbage" }));
    // Not a valid connection_init at all: graphql-ws's own 4400 is as good a refusal.
    test("a payload that is not an object", () => expectRefused("Bearer x", [CloseCode.BadRequest, CloseCode.Unauthorized, CloseCode.Forbidden]));
    test("a token without the Bearer scheme", () => expectRefused({ authorization: user.accessToken }));
    test("[plan 27] an alg-none token with real claims", () => expectRefused({ authorization: `Bearer ${algNone(user.accessToken)}` }));

    test("[plan 27] an expired token", () => expectRefused({ authorization: `Bearer ${forge(user, { iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })}` }));

    test("[plan 27] connectionParams of 1 MB: refused by the frame limit (1009), never acknowledged", async () => {
      const quiet = jest.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        const client = new WsTestClient(server.wsUrl);
        await client.opened;
        client.send({ type: "connection_init", payload: { authorization: `Bearer ${user.accessToken}`, padding: "x".repeat(1024 * 1024) } });
        expect((await client.closed).code).toBe(1009);
        expect(client.messagesOfType("connection_ack")).toEqual([]);
      } finally {
        quiet.mockRestore();
      }
    });

    test("[plan 27] the token of a session that has ended", async () => {
      const ended = await signUp(server);
      expect(dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: ended.accessToken })).logout).toBe(true);
      await expectRefused({ authorization: `Bearer ${ended.accessToken}` });
    });

    test("me and mySessions over the socket answer for the socket's own session", async () => {
      const { sessions: [first, second] } = await userWithSessions(server, 2);
      const client = new WsTestClient(server.wsUrl);
      await client.init({ authorization: `Bearer ${second.accessToken}` });
      client.subscribe("q", "{ me { id } mySessions { id isCurrent } }");
      const reply = await client.waitFor((m) => m.id === "q" && m.type === "next");
      const data = (reply.payload as { data: { me: { id: string }; mySessions: { id: string; isCurrent: boolean }[] } }).data;
      expect(data.me.id).toBe(second.user.id);
      expect(data.mySessions).toEqual([
        { id: second.session.id, isCurrent: true },
        { id: first.session.id, isCurrent: false },
      ]);
      await client.waitFor((m) => m.id === "q" && m.type === "complete");
      client.close();
    });
  });

  describe("WebSocket caps (what one client may hold)", () => {
    const capped = useTestServer({
      WS_MAX_CONNECTIONS_PER_IP: "4",
      WS_MAX_CONNECTIONS_PER_SESSION: "2",
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: "2",
      WS_MAX_HANDSHAKES_PER_IP: "1000",
    });

    test("[plan 25] sockets per session, and operations per socket", async () => {
      const signed = await signUp(capped);
      const sockets = [new WsTestClient(capped.wsUrl), new WsTestClient(capped.wsUrl)];
      for (const socket of sockets) await socket.init({ authorization: `Bearer ${signed.accessToken}` });
      const third = new WsTestClient(capped.wsUrl);
      // 1013 (Try Again Later), which graphql-ws clients retry; 4429 would make them give up for good.
      await expect(third.init({ authorization: `Bearer ${signed.accessToken}` })).rejects.toMatchObject({ code: 1013 });
      // Two subscriptions may wait on one socket; a third is refused, and the socket carries on.
      sockets[0].subscribe("one", "subscription { sessionRevoked { sessionId } }");
      sockets[0].subscribe("two", "subscription { sessionRevoked { sessionId } }");
      sockets[0].subscribe("three", "subscription { sessionRevoked { sessionId } }");
      const refused = await sockets[0].waitFor((m) => m.id === "three");
      expect(refused.type).toBe("error");
      expect((refused.payload as { extensions: { code: string } }[])[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(sockets[0].readyState).toBe(1);
      for (const socket of sockets) socket.close();
    });

    test("[plan 25] sockets per address: past the cap they are closed at once, and places come back as sockets leave", async () => {
      const open = Array.from({ length: 4 }, () => new WsTestClient(capped.wsUrl));
      await Promise.all(open.map((socket) => socket.opened));
      const extra = new WsTestClient(capped.wsUrl);
      expect((await extra.closed).code).toBe(1013);
      open[0].close();
      await open[0].closed;
      // The server frees the place when it sees the close, a moment after the client does.
      let again: WsTestClient | undefined;
      for (let attempt = 0; attempt < 20 && again?.readyState !== 1; attempt++) {
        again = new WsTestClient(capped.wsUrl);
        await again.opened;
        await sleep(50);
      }
      expect(again!.readyState).toBe(1);
      for (const socket of [...open, again!]) socket.close();
    });
  });

  describe("a reconnect storm (WS_MAX_CONNECTIONS_PER_IP=5, WS_MAX_HANDSHAKES_PER_IP=5 per 10 s)", () => {
    const stormed = useTestServer({ WS_MAX_CONNECTIONS_PER_IP: "5", WS_MAX_HANDSHAKES_PER_IP: "5" });

    test("connection_init past the burst is closed with 1013 before any token is checked, then held to the steady rate", async () => {
      const attempt = async () => {
        const client = new WsTestClient(stormed.wsUrl);
        await client.init({ authorization: "Bearer an.ended.token" }).catch(() => undefined);
        return (await client.closed).code;
      };
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push(await attempt());
      expect(codes.slice(0, 5)).toEqual(Array(5).fill(CloseCode.Forbidden));
      expect(codes.slice(5)).toEqual([1013, 1013]);
      // 5 per 10 s: one handshake's worth comes back after 2 s, and no more.
      await sleep(2100);
      expect([await attempt(), await attempt()]).toEqual([CloseCode.Forbidden, 1013]);
    });
  });

  describe("an office behind one address (the defaults: 200 sockets, 50 handshakes per 10 s)", () => {
    const office = useTestServer({});

    test("200 devices reconnecting at once all get in: the handshake burst covers the socket cap", async () => {
      const devices = await Promise.all(Array.from({ length: 20 }, () => signUp(office)));
      const sockets = Array.from({ length: 200 }, () => new WsTestClient(office.wsUrl));
      const outcomes = await Promise.all(
        sockets.map((socket, i) =>
          socket.init({ authorization: `Bearer ${devices[i % devices.length].accessToken}` }).then(
            () => "accepted",
            (error: { code?: number }) => `closed ${error.code}`,
          ),
        ),
      );
      expect(outcomes.filter((o) => o !== "accepted")).toEqual([]);
      for (const socket of sockets) socket.close();
    });
  });

  describe("WebSocket frames and protocol", () => {
    const connect = async () => {
      const client = new WsTestClient(server.wsUrl);
      await client.init({ authorization: `Bearer ${user.accessToken}` });
      return client;
    };

    test("[plan 33] a frame over 64 KiB closes the connection with 1009, before or after connection_init", async () => {
      // graphql-ws reports the ws library's size error on the console; the close code is what matters.
      const quiet = jest.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        const early = new WsTestClient(server.wsUrl);
        await early.opened;
        early.send({ type: "connection_init", payload: { authorization: `Bearer ${"x".repeat(MAX_BODY_BYTES)}` } });
        expect((await early.closed).code).toBe(1009);
        expect(early.messagesOfType("connection_ack")).toEqual([]);

        const late = await connect();
        late.subscribe("big", `{ __typename } # ${"x".repeat(MAX_BODY_BYTES)}`);
        expect((await late.closed).code).toBe(1009);
        expect(late.messagesOfType("next")).toEqual([]);
      } finally {
        quiet.mockRestore();
      }
      await expectActive(server, user.accessToken);
    });

    test(`[plan 26] subscribe before connection_ack: ${CloseCode.Unauthorized}`, async () => {
      const client = new WsTestClient(server.wsUrl);
      await client.opened;
      client.subscribe("early", "{ me { id } }");
      expect((await client.closed).code).toBe(CloseCode.Unauthorized);
      expect(client.messagesOfType("next")).toEqual([]);
    });

    test(`[plan 26] a second connection_init: ${CloseCode.TooManyInitialisationRequests}`, async () => {
      const client = await connect();
      client.send({ type: "connection_init", payload: { authorization: `Bearer ${user.accessToken}` } });
      expect((await client.closed).code).toBe(CloseCode.TooManyInitialisationRequests);
    });

    test(`[plan 26] a second subscription under a running id: ${CloseCode.SubscriberAlreadyExists}`, async () => {
      const client = await connect();
      const watching = server.services.connections.watchersOf(user.session.id);
      client.subscribe("same", "subscription { sessionRevoked { sessionId } }");
      await until(() => server.services.connections.watchersOf(user.session.id) > watching);
      client.subscribe("same", "subscription { sessionRevoked { sessionId } }");
      expect((await client.closed).code).toBe(CloseCode.SubscriberAlreadyExists);
    });

    test(`[plan 26] a subprotocol other than graphql-transport-ws, or none: ${CloseCode.SubprotocolNotAcceptable}`, async () => {
      const none = new WsTestClient(server.wsUrl, { protocol: [] });
      expect((await none.closed).code).toBe(CloseCode.SubprotocolNotAcceptable);
      expect(none.messages).toEqual([]);
      // Asked for the legacy protocol alone, the server agrees to none: the client itself gives up.
      const legacy = new WsTestClient(server.wsUrl, { protocol: "graphql-ws" });
      await expect(legacy.opened).rejects.toThrow(/subprotocol/);
      expect(legacy.messages).toEqual([]);
    });

    test(`[plan 26] a frame that is not a protocol message: ${CloseCode.BadRequest}`, async () => {
      const client = await connect();
      client.send("not json");
      expect((await client.closed).code).toBe(CloseCode.BadRequest);
    });

    test("[plan 33] the same depth and alias limits as HTTP apply to operations on the socket", async () => {
      const client = await connect();
      client.subscribe("deep", introspectionOfDepth(16));
      client.subscribe("wide", aliases(16));
      for (const id of ["deep", "wide"]) {
        const reply = await client.waitFor((m) => m.id === id);
        expect(reply.type).toBe("error");
      }
      client.subscribe("fine", introspectionOfDepth(15));
      expect((await client.waitFor((m) => m.id === "fine")).type).toBe("next");
      client.close();
    });

    test("errors on the socket leave as over HTTP: contract codes, no broken connection", async () => {
      const client = await connect();
      const errorsOf = async (id: string, query: string, variables?: Record<string, unknown>) => {
        client.subscribe(id, query, variables);
        const reply = await client.waitFor((m) => m.id === id && (m.type === "error" || m.type === "next"));
        return reply.type === "error" ? (reply.payload as GraphQLResult<unknown>["errors"])! : (reply.payload as GraphQLResult<unknown>).errors!;
      };
      const [syntax] = await errorsOf("syntax", "{ me { id ");
      expect(syntax.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "GRAPHQL_PARSE_FAILED" });
      const [unknown] = await errorsOf("unknown", "{ mySesions { id } }");
      expect(unknown.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "GRAPHQL_VALIDATION_FAILED" });
      // Introspection is on here, so the suggestion is too.
      expect(unknown.message).toMatch(/Did you mean "mySessions"\?/);
      const [badVariable] = await errorsOf("variable", "query Q($limit: Int) { users(limit: $limit) { id } }", { limit: "many" });
      expect(badVariable.extensions?.code).toBe("BAD_USER_INPUT");
      const [notAllowed] = await errorsOf("admin", "{ users { id } }");
      expect(notAllowed.extensions?.code).toBe("FORBIDDEN");
      for (const error of [syntax, unknown, badVariable, notAllowed]) expect(JSON.stringify(error)).not.toMatch(/stack|at .*\.js/);
      // None of that cost the connection.
      client.subscribe("after", "{ me { id } }");
      expect((await client.waitFor((m) => m.id === "after" && m.type === "next")).payload).toEqual({ data: { me: { id: user.user.id } } });
      client.close();
    });

    // Last in the file: by now most of the socket's 3 s have passed.
    test(`[plan 25] no connection_init within 3 s: ${CloseCode.ConnectionInitialisationTimeout}`, async () => {
      await idle.opened;
      expect((await idle.closed).code).toBe(CloseCode.ConnectionInitialisationTimeout);
    });
  });
});

describe("[plan 35] X-Forwarded-For from clients", () => {
  const direct = useTestServer({ LOGIN_MAX_FAILURES_PER_IP: "5" });
  const proxied = useTestServer({ TRUST_PROXY: "1" });

  test("[plan 35] without TRUST_PROXY, a new X-Forwarded-For on every guess does not get past the per-address limit", async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 1; i <= 50; i++) {
      const guess = await request(direct.graphqlUrl, LoginDocument, { email: uniqueEmail("nobody"), password: "a wrong password" }, { headers: { "x-forwarded-for": `1.2.3.${i}` } });
      codes.push(codeOf(guess));
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("UNAUTHENTICATED"));
    expect(codes.slice(5)).toEqual(Array(45).fill("RATE_LIMITED"));
    const session = await sessionFrom(direct, { "x-forwarded-for": "6.6.6.6" });
    expect(session.ipAddress).toBe("127.0.0.1");
  });

  test("[plan 35] behind one trusted proxy, only the hop it appended is believed", async () => {
    const session = await sessionFrom(proxied, { "x-forwarded-for": "6.6.6.6, 8.8.8.8" });
    expect(session.ipAddress).toBe("8.8.8.8");
    expect(session.location).toMatchObject({ country: "US" });
    const spoofedOnly = await sessionFrom(proxied, { "x-forwarded-for": "6.6.6.6, 10.0.0.7" });
    expect(spoofedOnly.ipAddress).toBe("10.0.0.7");
    expect(spoofedOnly.location).toBeNull();
  });
});

describe("[plan 36] hostile User-Agents", () => {
  const server = useTestServer();

  test("[plan 36] over Node's header limit (100 KB) the request is refused with 431 before the app runs, and the server carries on", async () => {
    const body = { query: print(SignUpDocument), variables: { email: uniqueEmail(), password: PASSWORD } };
    for (const size of [20 * 1024, 100 * 1024]) {
      const response = await requestRaw(server.graphqlUrl, body, { headers: { "user-agent": "x".repeat(size) } });
      expect(response.status).toBe(431);
    }
    expect((await sessionFrom(server, { "user-agent": USER_AGENTS.macChrome })).deviceType).toBe("Macintosh");
  });

  test("[plan 36] a long, ReDoS-shaped or markup User-Agent is cut to 1024 characters before parsing and storing, and returned as data", async () => {
    const long = `${USER_AGENTS.windowsEdge} ${"x".repeat(5000 - USER_AGENTS.windowsEdge.length - 1)}`;
    const session = await sessionFrom(server, { "user-agent": long });
    expect(session.userAgent).toBe(long.slice(0, 1024));
    expect(session).toMatchObject({ deviceType: "Windows", browser: "Edge" });
    // Shapes of the ua-parser-js ReDoS reports, at the most a header may carry.
    const shapes = [`Mozilla/5.0 (${"Linux; ".repeat(2000)}`, `${"Mozilla/5.0 ".repeat(1300)}Safari/`, `<script>alert(1)</script>${"(a ".repeat(2500)}x`];
    for (const userAgent of shapes) {
      const started = Date.now();
      const stored = await sessionFrom(server, { "user-agent": userAgent });
      // A catastrophic backtrack takes seconds to minutes; a bounded parse takes microseconds.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(stored.userAgent).toBe(userAgent.slice(0, 1024));
    }
    const markup = await sessionFrom(server, { "user-agent": "<script>alert(1)</script>" });
    expect(markup.userAgent).toBe("<script>alert(1)</script>");
  });

  test("[plan 36] a User-Agent in connectionParams is not believed; 100 KB of it closes the socket (1009)", async () => {
    const signed = await signUp(server, uniqueEmail(), USER_AGENTS.macChrome);
    const socket = new WsTestClient(server.wsUrl, { headers: { "user-agent": USER_AGENTS.ubuntuFirefox } });
    await socket.init({ authorization: `Bearer ${signed.accessToken}`, "user-agent": "y".repeat(10_000), userAgent: "y".repeat(10_000) });
    socket.subscribe("login", `mutation { login(email: "${signed.user.email}", password: "${PASSWORD}") { session { userAgent deviceType } } }`);
    const reply = await socket.waitFor((m) => m.id === "login" && m.type === "next");
    expect(reply.payload).toEqual({ data: { login: { session: { userAgent: USER_AGENTS.ubuntuFirefox, deviceType: "Linux" } } } });
    socket.close();
    const quiet = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const huge = new WsTestClient(server.wsUrl);
      await huge.opened;
      huge.send({ type: "connection_init", payload: { authorization: `Bearer ${signed.accessToken}`, userAgent: "y".repeat(100 * 1024) } });
      expect((await huge.closed).code).toBe(1009);
    } finally {
      quiet.mockRestore();
    }
  });
});
