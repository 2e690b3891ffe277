import { randomUUID } from "node:crypto";
import { QueryFailedError } from "typeorm";
import {
  AdminLogoutUserDocument,
  MeDocument,
  MySessionsDocument,
  TerminateSessionDocument,
  UserSessionsDocument,
  UsersDocument,
} from "../../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail, userWithSessions, type Signed } from "../helpers/accounts";
import { expectActive } from "../helpers/checks";
import { codeOf, dataOf, request, requestRaw, type HttpResult } from "../helpers/graphql-client";
import { captureLog } from "../helpers/log-capture";
import { WsTestClient } from "../helpers/ws-client";
import { useTestServer } from "../helpers/test-server";

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

// Ids that must be refused before they reach SQL (security-test-plan 45).
const MALFORMED_IDS: [string, string][] = [
  ["not a UUID", "not-a-uuid"],
  ["SQL injection", "' OR 1=1 --"],
  ["empty", ""],
  ["10 000 characters", "x".repeat(10_000)],
  ["a UUID with a trailing newline", `${randomUUID()}\n`],
  ["a UUID with SQL after it", `${randomUUID()}' OR '1'='1`],
];

// What a database error, a driver message or a stack trace would put into a response.
const LEAKS = ["invalid input syntax", "SELECT", "QueryFailedError", "node_modules", "stacktrace", "exception"];
const STACK_FRAME = /\bat [\w$.<>[\] ]+ \(|\bat \/|\.(?:ts|js):\d+:\d+/;

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text).not.toContain(leak);
  expect(text).not.toMatch(STACK_FRAME);
}

/** Every error has the code, none is internal, and the body (as received) gives nothing away. */
function expectOnlyCode(response: HttpResult, code: string): void {
  expect(response.status).toBeLessThan(500);
  expect(response.errors?.length).toBeGreaterThan(0);
  expect(response.errors!.map((e) => e.extensions?.code)).toEqual(response.errors!.map(() => code));
  expect(response.data ?? null).toBeNull();
  expectNoLeak(response.text);
}

describe("input validation and authorization", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD });
  let adminToken: string;
  // A USER for the tests that only need a live token and check that what they tried left it live.
  let user: Signed;

  beforeAll(async () => {
    const [admin, signed] = await Promise.all([login(server, adminEmail), signUp(server)]);
    adminToken = admin.accessToken;
    user = signed;
  });

  const terminate = (sessionId: string, token: string) => ({ query: "mutation($id: ID!) { terminateSession(sessionId: $id) }", variables: { id: sessionId }, token });
  const userSessions = (userId: string, token?: string) => ({ query: "query($id: ID!) { userSessions(userId: $id) { id } }", variables: { id: userId }, token });
  const adminLogout = (userId: string, token?: string) => ({ query: "mutation($id: ID!) { adminLogoutUser(userId: $id) }", variables: { id: userId }, token });
  const send = ({ query, variables, token }: { query: string; variables: unknown; token?: string }) => requestRaw(server.graphqlUrl, { query, variables }, { token });

  describe("malformed ids are BAD_USER_INPUT, never a database error", () => {
    test.each(MALFORMED_IDS)("[plan 45] terminateSession with %s", async (_label, id) => {
      expectOnlyCode(await send(terminate(id, user.accessToken)), "BAD_USER_INPUT");
      expectOnlyCode(await send(terminate(id, adminToken)), "BAD_USER_INPUT");
      await expectActive(server, user.accessToken);
    });

    test.each(MALFORMED_IDS)("[plan 45] userSessions as an ADMIN with %s", async (_label, id) => {
      expectOnlyCode(await send(userSessions(id, adminToken)), "BAD_USER_INPUT");
    });

    test.each(MALFORMED_IDS)("[plan 45] adminLogoutUser as an ADMIN with %s", async (_label, id) => {
      expectOnlyCode(await send(adminLogout(id, adminToken)), "BAD_USER_INPUT");
    });

    test("the error names the argument without echoing a huge input back", async () => {
      const response = await send(adminLogout("x".repeat(10_000), adminToken));
      expectOnlyCode(response, "BAD_USER_INPUT");
      expect(response.text).toMatch(/userId/);
      expect(response.text.length).toBeLessThan(2000);
    });
  });

  describe("well-formed ids that name nothing are NOT_FOUND", () => {
    test.each([["the nil UUID", NIL_UUID], ["a random UUID", randomUUID()]])("[plan 45] %s", async (_label, id) => {
      expectOnlyCode(await send(terminate(id, user.accessToken)), "NOT_FOUND");
      expectOnlyCode(await send(terminate(id, adminToken)), "NOT_FOUND");
      expectOnlyCode(await send(userSessions(id, adminToken)), "NOT_FOUND");
      expectOnlyCode(await send(adminLogout(id, adminToken)), "NOT_FOUND");
    });
  });

  describe("users(emailContains, limit, offset)", () => {
    test.each([0, 201, -1])("limit %p is BAD_USER_INPUT", async (limit) => {
      expect(codeOf(await request(server.graphqlUrl, UsersDocument, { limit }, { token: adminToken }))).toBe("BAD_USER_INPUT");
    });

    // PostgreSQL text cannot hold a NUL: it is the client's input, not a database error to leak.
    test("[plan 45] a NUL byte in emailContains is BAD_USER_INPUT, with nothing of the database in it", async () => {
      const result = await request(server.graphqlUrl, UsersDocument, { emailContains: "a\u0000b" }, { token: adminToken });
      expect(codeOf(result)).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(result.errors)).not.toMatch(/invalid byte sequence|0x00|UTF8|postgres/i);
    });

    test("offset -1 is BAD_USER_INPUT", async () => {
      expect(codeOf(await request(server.graphqlUrl, UsersDocument, { offset: -1 }, { token: adminToken }))).toBe("BAD_USER_INPUT");
    });

    // The admin and `user` exist, so there is always something to list.
    test.each([1, 200])("limit %p is accepted and honoured", async (limit) => {
      const { users } = dataOf(await request(server.graphqlUrl, UsersDocument, { limit }, { token: adminToken }));
      expect(users.length).toBeGreaterThanOrEqual(1);
      expect(users.length).toBeLessThanOrEqual(limit);
    });

    describe("search", () => {
      // The first letters fix the order under any collation; the middles hold LIKE's wildcards.
      const tag = randomUUID();
      const emails = [`a.p%q.${tag}@example.com`, `b.pxq.${tag}@example.com`, `c.u_v.${tag}@example.com`, `d.uxv.${tag}@example.com`];
      const search = async (variables: { emailContains?: string; limit?: number; offset?: number }) =>
        dataOf(await request(server.graphqlUrl, UsersDocument, variables, { token: adminToken })).users.map((u) => u.email);

      // Stored in reverse, so that the order of insertion is not the order expected; these
      // accounts are only ever searched for, so they need no real password hash.
      beforeAll(async () => {
        const reversed = [...emails].reverse();
        const rows = reversed.map((_, i) => `($${i + 1}, 'not a password hash', 'USER')`).join(", ");
        await server.db.query(`INSERT INTO users (email, password_hash, role) VALUES ${rows}`, reversed);
      });

      test("matches case-insensitively, ordered by email", async () => {
        expect(await search({ emailContains: tag.toUpperCase() })).toEqual(emails);
        expect(await search({ emailContains: `B.PXQ.${tag.toUpperCase()}` })).toEqual([emails[1]]);
      });

      test("% and _ match themselves, not any text", async () => {
        expect(await search({ emailContains: `p%q.${tag}` })).toEqual([emails[0]]);
        expect(await search({ emailContains: `u_v.${tag}` })).toEqual([emails[2]]);
        expect(await search({ emailContains: `%${tag}` })).toEqual([]);
        expect(await search({ emailContains: `_.${tag}` })).toEqual([]);
      });

      test("limit and offset page through the ordered result", async () => {
        expect(await search({ emailContains: tag, limit: 2, offset: 0 })).toEqual(emails.slice(0, 2));
        expect(await search({ emailContains: tag, limit: 2, offset: 2 })).toEqual(emails.slice(2, 4));
        expect(await search({ emailContains: tag, limit: 2, offset: 4 })).toEqual([]);
        expect(await search({ emailContains: tag, limit: 3, offset: 1 })).toEqual(emails.slice(1, 4));
      });
    });
  });

  describe("another user's sessions (IDOR)", () => {
    test("[plan 21] a real session of another user, a random id and an ended one look the same: NOT_FOUND", async () => {
      const [{ sessions: [u1, u2] }, v] = await Promise.all([userWithSessions(server, 2), signUp(server)]);
      dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: u2.session.id }, { token: u1.accessToken }));

      const replies = [];
      for (const id of [u1.session.id, randomUUID(), u2.session.id]) replies.push(await send(terminate(id, v.accessToken)));
      for (const reply of replies) expectOnlyCode(reply, "NOT_FOUND");
      expect(new Set(replies.map((r) => `${r.status} ${r.text}`)).size).toBe(1);

      await expectActive(server, u1.accessToken);
      const { mySessions } = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: u1.accessToken }));
      expect(mySessions.map((s) => s.id)).toEqual([u1.session.id]);
    });

  });

  describe("ADMIN-only operations", () => {
    test("[plan 22] a USER gets FORBIDDEN and nothing happens", async () => {
      const victim = await signUp(server);
      expectOnlyCode(await send(userSessions(victim.user.id, user.accessToken)), "FORBIDDEN");
      expectOnlyCode(await send({ query: "{ users { id email } }", variables: {}, token: user.accessToken }), "FORBIDDEN");
      expectOnlyCode(await send(adminLogout(victim.user.id, user.accessToken)), "FORBIDDEN");
      await expectActive(server, victim.accessToken);
      await expectActive(server, user.accessToken);
    });

    test("[plan 22] without a token: UNAUTHENTICATED and nothing happens", async () => {
      const victim = await signUp(server);
      expectOnlyCode(await send(userSessions(victim.user.id)), "UNAUTHENTICATED");
      expectOnlyCode(await send({ query: "{ users { id email } }", variables: {} }), "UNAUTHENTICATED");
      expectOnlyCode(await send(adminLogout(victim.user.id)), "UNAUTHENTICATED");
      await expectActive(server, victim.accessToken);
    });

    test("[plan 22] aliased copies in one document are each refused", async () => {
      const [v, w] = await Promise.all([signUp(server), signUp(server)]);
      const queries = await send({
        query: "query($v: ID!, $w: ID!) { a: userSessions(userId: $v) { id } b: userSessions(userId: $w) { id } c: users { email } }",
        variables: { v: v.user.id, w: w.user.id },
        token: user.accessToken,
      });
      expectOnlyCode(queries, "FORBIDDEN");
      const mutations = await send({
        query: "mutation($v: ID!, $w: ID!) { a: adminLogoutUser(userId: $v) b: adminLogoutUser(userId: $w) }",
        variables: { v: v.user.id, w: w.user.id },
        token: user.accessToken,
      });
      expectOnlyCode(mutations, "FORBIDDEN");
      const anonymous = await send({ query: "mutation($v: ID!) { a: adminLogoutUser(userId: $v) b: adminLogoutUser(userId: $v) }", variables: { v: v.user.id } });
      expectOnlyCode(anonymous, "UNAUTHENTICATED");
      await expectActive(server, v.accessToken);
      await expectActive(server, w.accessToken);
    });

    test("an ADMIN can use them", async () => {
      const { sessions: [u1, u2] } = await userWithSessions(server, 2);
      const listed = dataOf(await request(server.graphqlUrl, UserSessionsDocument, { userId: u1.user.id }, { token: adminToken })).userSessions;
      expect(listed.map((s) => s.id).sort()).toEqual([u1.session.id, u2.session.id].sort());
      expect(dataOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: u1.user.id }, { token: adminToken })).adminLogoutUser).toBe(2);
      expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: u2.accessToken }))).toBe("UNAUTHENTICATED");
    });
  });

  describe("requests that break the schema are the client's fault", () => {
    test.each([
      ["a variable of the wrong type", { query: "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", variables: { e: 123, p: PASSWORD } }],
      ["a fractional Int variable", { query: "query($l: Int) { users(limit: $l) { id } }", variables: { l: 1.5 } }],
      ["a literal of the wrong type", { query: '{ users(limit: "ten") { id } }' }],
      ["an unknown field", { query: "{ me { id passwordHash } }" }],
      ["an unknown argument", { query: "{ mySessions(first: 1) { id } }" }],
      ["a missing required argument", { query: "mutation { terminateSession }" }],
      ["a missing required variable", { query: "mutation($id: ID!) { terminateSession(sessionId: $id) }", variables: {} }],
      ["a syntax error", { query: "{ me { id }" }],
      ["no query at all", { variables: {} }],
      ["an unknown operationName", { query: "query A { me { id } }", operationName: "B" }],
      ["variables that are not an object", { query: "{ me { id } }", variables: "[]" }],
    ])("[plan 46] %s: BAD_USER_INPUT, not a server error", async (_label, body) => {
      const response = await requestRaw(server.graphqlUrl, body, { token: user.accessToken });
      expect(response.status).toBe(400);
      expectOnlyCode(response, "BAD_USER_INPUT");
    });
  });

  describe("unexpected failures are masked", () => {
    afterEach(() => jest.restoreAllMocks());

    const databaseError = () =>
      new QueryFailedError(`SELECT * FROM "sessions" WHERE "user_id" = $1`, ["x"], Object.assign(new Error('invalid input syntax for type uuid: "x"'), { code: "22P02" }));

    test.each([
      ["a database error", () => Promise.reject(databaseError())],
      ["a programming error", () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'userId')"))],
    ])("[plan 41] %s becomes INTERNAL_SERVER_ERROR with a generic message and no stack", async (_label, fail) => {
      jest.spyOn(server.services.access, "mine").mockImplementationOnce(fail);
      const response = await requestRaw(server.graphqlUrl, { query: "{ mySessions { id } }" }, { token: user.accessToken });
      expect(response.errors).toEqual([
        { message: "Internal server error.", path: ["mySessions"], locations: [{ line: 1, column: 3 }], extensions: { code: "INTERNAL_SERVER_ERROR" } },
      ]);
      expectNoLeak(response.text);
      expect(response.text).not.toContain("Cannot read properties");
      // Only that one request failed.
      dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: user.accessToken }));
    });
  });
});

describe("[plan 23] what one user can read of another", () => {
  const server = useTestServer();

  test("[plan 23] hashes, owners and nested sessions are not in the schema: the prying query is rejected before it runs", async () => {
    const { sessions: [own] } = await userWithSessions(server, 1);
    const prying = await requestRaw(
      server.graphqlUrl,
      { query: "{ mySessions { id ipAddress userAgent location { country } refreshTokenHash user { email sessions { id } } } }" },
      { token: own.accessToken },
    );
    expect(prying.status).toBe(400);
    expectOnlyCode(prying, "BAD_USER_INPUT");
    const nested = await requestRaw(server.graphqlUrl, { query: "{ me { id sessions { id } passwordHash } }" }, { token: own.accessToken });
    expectOnlyCode(nested, "BAD_USER_INPUT");
  });

  test("[plan 23] the only ways to sessions are the caller's own list, the admin-only one and renaming (own, or an admin's); mySessions holds only the caller's", async () => {
    const { data } = await requestRaw<{ __schema: { types: { name: string; kind: string; fields: { name: string; type: unknown }[] | null }[] } }>(server.graphqlUrl, {
      query: "{ __schema { types { name kind fields { name type { name kind ofType { name kind ofType { name kind ofType { name } } } } } } } }",
    });
    const typeName = (type: unknown): string => {
      const t = type as { name: string | null; ofType?: unknown };
      return t.name ?? typeName(t.ofType);
    };
    const toSessions = data!.__schema.types
      .filter((t) => t.kind === "OBJECT" && !t.name.startsWith("__"))
      .flatMap((t) => (t.fields ?? []).filter((f) => typeName(f.type) === "Session" && !/^(AuthPayload|SessionChangedEvent)$/.test(t.name)).map((f) => `${t.name}.${f.name}`));
    // renameSession returns the session it named: NOT_FOUND for another user's (test/apps-and-names.test.ts).
    expect(toSessions.sort()).toEqual(["Mutation.renameSession", "Query.mySessions", "Query.userSessions"]);

    const { sessions: [u1, u2] } = await userWithSessions(server, 2);
    const { sessions: [v] } = await userWithSessions(server, 1);
    const listed = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: v.accessToken })).mySessions.map((s) => s.id);
    expect(listed).toEqual([v.session.id]);
    expect(listed).not.toContain(u1.session.id);
    expect(listed).not.toContain(u2.session.id);
  });
});

describe("[plan 41] in production (NODE_ENV=production, INTROSPECTION_ENABLED=false)", () => {
  const server = useTestServer({ NODE_ENV: "production", INTROSPECTION_ENABLED: "false" });

  test("[plan 41] no introspection, no suggestions, and a failing resolver gives a generic error without a stack", async () => {
    const signed = await signUp(server);
    const introspection = await requestRaw(server.graphqlUrl, { query: "{ __schema { types { name } } }" });
    expect(introspection.status).toBe(400);
    expectOnlyCode(introspection, "BAD_USER_INPUT");
    const typo = await requestRaw(server.graphqlUrl, { query: "{ mySesions { id } }" }, { token: signed.accessToken });
    expectOnlyCode(typo, "BAD_USER_INPUT");
    expect(typo.text).not.toMatch(/Did you mean|mySessions/);
    const failing = jest.spyOn(server.services.access, "mine").mockRejectedValueOnce(new Error("secret detail of a bug"));
    try {
      const response = await requestRaw(server.graphqlUrl, { query: "{ mySessions { id } }" }, { token: signed.accessToken });
      expect(response.errors).toEqual([{ message: "Internal server error.", path: ["mySessions"], locations: [{ line: 1, column: 3 }], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
      expect(response.text).not.toContain("secret detail");
      expectNoLeak(response.text);
    } finally {
      failing.mockRestore();
    }
  });
});

/** A cursor shaped like the list's own (base64url JSON of [time, id]) whose time was tampered with. */
function tamperedCursor(at: string): string {
  return Buffer.from(JSON.stringify([at, randomUUID()])).toString("base64url");
}

// A broken or hostile client must read as what it is: BAD_USER_INPUT, and a line at info in our
// log, never an error with a stack that sends an operator looking for a bug of ours.
describe("client mistakes are BAD_USER_INPUT and logged at info, never at error", () => {
  const log = captureLog("info");
  const server = useTestServer({}, { logger: log.logger });
  let user: Signed;
  beforeAll(async () => {
    user = await signUp(server);
  });
  const errorLines = () => log.entries.filter((entry) => entry.level === "error" || entry.level === "fatal");

  test.each([
    ["month 13", "2026-13-01 10:00:00.123456+00"],
    ["day 31 of April", "2026-04-31 10:00:00+00"],
    ["29 February of a common year", "2025-02-29 10:00:00+00"],
    ["hour 24", "2026-01-01 24:00:00+00"],
    ["zone +99", "2026-01-01 10:00:00+99"],
    ["zone -16:00", "2026-01-01 10:00:00-16:00"],
    ["year 0", "0000-01-01 10:00:00+00"],
  ])("an activity cursor whose time has %s", async (_label, at) => {
    const before = log.entries.length;
    const response = await requestRaw(server.graphqlUrl, { query: "query($after: String) { myActivity(after: $after) { nodes { id } } }", variables: { after: tamperedCursor(at) } }, { token: user.accessToken });
    expect(response.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "after" });
    expectNoLeak(response.text);
    expect(log.entries.slice(before).filter((entry) => entry.level === "error")).toEqual([]);
  });

  test("the edges of the ranges a cursor may hold are still cursors", async () => {
    for (const at of ["2024-02-29 23:59:59.999999+00", "0001-01-01 00:00:00+00", "2026-01-01 10:00:00-15:59", "2026-01-01 10:00:00+05:30"]) {
      const response = await requestRaw<{ myActivity: { nodes: unknown[] } }>(server.graphqlUrl, { query: "query($after: String) { myActivity(after: $after) { nodes { id } } }", variables: { after: tamperedCursor(at) } }, { token: user.accessToken });
      expect([at, dataOf(response).myActivity.nodes]).toEqual([at, []]);
    }
  });

  test.each([
    ["an unknown operationName", { query: "query Mine { me { id } }", operationName: "Theirs" }, "OPERATION_RESOLUTION_FAILURE"],
    ["several operations and no operationName", { query: "query A { me { id } } query B { me { email } }" }, "OPERATION_RESOLUTION_FAILURE"],
    ["a syntax error", { query: "{ me { id " }, "GRAPHQL_PARSE_FAILED"],
    ["an unknown field", { query: "{ me { id password } }" }, "GRAPHQL_VALIDATION_FAILED"],
    ["a variable of the wrong type", { query: "query($first: Int) { myActivity(first: $first) { nodes { id } } }", variables: { first: "many" } }, undefined],
  ])("%s", async (_label, body, reason) => {
    const before = log.entries.length;
    const response = await requestRaw(server.graphqlUrl, body, { token: user.accessToken });
    expectOnlyCode(response, "BAD_USER_INPUT");
    if (reason) expect(response.errors![0].extensions!.reason).toBe(reason);
    const lines = log.entries.slice(before);
    expect(lines.filter((entry) => entry.level === "error")).toEqual([]);
    expect(lines.filter((entry) => "err" in entry || "stack" in entry)).toEqual([]);
    if (reason) expect(lines).toContainEqual(expect.objectContaining({ level: "info", msg: "request refused", reason }));
  });

  test("on the WebSocket too: an error message each, nothing at error, the socket stays open", async () => {
    const printed = jest.spyOn(console, "error");
    const client = new WsTestClient(server.wsUrl);
    try {
      await client.init({ authorization: `Bearer ${user.accessToken}` });
      const before = log.entries.length;
      client.send({ type: "subscribe", id: "name", payload: { query: "query Mine { me { id } }", operationName: "Theirs" } });
      client.subscribe("syntax", "{ me { id ");
      client.subscribe("field", "{ me { password } }");
      client.subscribe("cursor", "query($after: String) { myActivity(after: $after) { nodes { id } } }", { after: tamperedCursor("2026-13-01 00:00:00+00") });
      for (const id of ["name", "syntax", "field", "cursor"]) {
        const reply = await client.waitFor((m) => m.id === id && (m.type === "error" || m.type === "next"));
        const errors = (reply.type === "error" ? reply.payload : (reply.payload as { errors: unknown }).errors) as { extensions: { code: string } }[];
        expect([id, errors[0].extensions.code]).toEqual([id, "BAD_USER_INPUT"]);
      }
      client.subscribe("still", "{ __typename }");
      expect((await client.waitFor((m) => m.id === "still")).payload).toEqual({ data: { __typename: "Query" } });
      expect(log.entries.slice(before).filter((entry) => entry.level === "error")).toEqual([]);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      client.close();
      printed.mockRestore();
    }
  });

  test("while a bug of ours is still logged at error, with its stack", async () => {
    const failing = jest.spyOn(server.services.accounts, "profile").mockRejectedValueOnce(new Error("a bug"));
    try {
      const before = log.entries.length;
      expect(codeOf(await requestRaw(server.graphqlUrl, { query: "{ me { id } }" }, { token: user.accessToken }))).toBe("INTERNAL_SERVER_ERROR");
      expect(log.entries.slice(before)).toContainEqual(expect.objectContaining({ level: "error", err: expect.objectContaining({ stack: expect.stringContaining("a bug") }) }));
    } finally {
      failing.mockRestore();
    }
    expect(errorLines()).toHaveLength(1);
  });
});
