import { randomUUID } from "node:crypto";
import { CloseCode } from "graphql-ws";
import {
  AdminLogoutUserDocument,
  MeDocument,
  TerminateSessionDocument,
  UserSessionsDocument,
  UsersDocument,
} from "../web/src/gql/graphql";
import { login, PASSWORD, signUp, USER_AGENTS, uniqueEmail, userWithSessions } from "./helpers/accounts";
import { expectActive } from "./helpers/checks";
import { backdate } from "./helpers/database";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";
import { revocationOf, watchRevocation } from "./helpers/ws-client";

describe("administrators", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, LAST_ACTIVE_RESOLUTION_SECONDS: "0" });
  let admin: Awaited<ReturnType<typeof login>>;

  beforeAll(async () => {
    admin = await login(server, adminEmail);
  });

  // A getter: one test logs the administrator out and back in.
  const asAdmin = {
    get token() {
      return admin.accessToken;
    },
  };

  test("userSessions lists a user's active sessions, most recently active first, none of them current", async () => {
    const { email, sessions: [first] } = await userWithSessions(server, 1);
    const second = await login(server, email, USER_AGENTS.androidChrome);
    // Left alone, the newer second session would be the more recently active one.
    await backdate(server.db, first.session.id, { lastActiveSeconds: 5 });
    await backdate(server.db, second.session.id, { lastActiveSeconds: 10 });
    const listed = dataOf(await request(server.graphqlUrl, UserSessionsDocument, { userId: first.user.id }, asAdmin)).userSessions;
    expect(listed.map((s) => s.id)).toEqual([first.session.id, second.session.id]);
    expect(listed.every((s) => !s.isCurrent)).toBe(true);
    expect(listed[1].deviceType).toBe("Android");
  });

  test("userSessions and adminLogoutUser of a user who does not exist: NOT_FOUND", async () => {
    expect(codeOf(await request(server.graphqlUrl, UserSessionsDocument, { userId: randomUUID() }, asAdmin))).toBe("NOT_FOUND");
    expect(codeOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: randomUUID() }, asAdmin))).toBe("NOT_FOUND");
  });

  test("adminLogoutUser ends every session of the user and counts them; the admin's own stay", async () => {
    const { sessions } = await userWithSessions(server, 3);
    const userId = sessions[0].user.id;
    expect(dataOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId }, asAdmin)).adminLogoutUser).toBe(3);
    expect(dataOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId }, asAdmin)).adminLogoutUser).toBe(0);
    for (const s of sessions) {
      expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: s.accessToken }))).toBe("UNAUTHENTICATED");
    }
    expect(dataOf(await request(server.graphqlUrl, UserSessionsDocument, { userId }, asAdmin)).userSessions).toEqual([]);
    dataOf(await request(server.graphqlUrl, MeDocument, {}, asAdmin));
    // The user can log in again afterwards: a logout is not a ban.
    await login(server, sessions[0].user.email);
  });

  test("adminLogoutUser on the administrator's own account ends their sessions too", async () => {
    const other = await login(server, adminEmail);
    const count = dataOf(await request(server.graphqlUrl, AdminLogoutUserDocument, { userId: other.user.id }, { token: other.accessToken })).adminLogoutUser;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: other.accessToken }))).toBe("UNAUTHENTICATED");
    admin = await login(server, adminEmail);
  });

  // SessionAccess.terminate: an ADMIN may end anyone's session; it is recorded as ADMIN_LOGOUT.
  test("an administrator may end one session of another user: pushed as ADMIN_LOGOUT, the user's others stay", async () => {
    const { sessions: [a, b] } = await userWithSessions(server, 2);
    const socket = await watchRevocation(server, a.accessToken, a.session.id);
    const end = () => request(server.graphqlUrl, TerminateSessionDocument, { sessionId: a.session.id }, asAdmin);
    expect(dataOf(await end()).terminateSession).toBe(true);
    const { event, close } = await revocationOf(socket);
    expect(event).toMatchObject({ sessionId: a.session.id, reason: "ADMIN_LOGOUT" });
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(codeOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }))).toBe("UNAUTHENTICATED");
    expect(dataOf(await end()).terminateSession).toBe(false);
    await expectActive(server, b.accessToken);
    await expectActive(server, asAdmin.token);
  });

  test("users: case-insensitive search by email, ordered by email, paged", async () => {
    const tag = randomUUID().slice(0, 8);
    const emails = ["c", "a", "b"].map((letter) => `${letter}-${tag}@example.com`);
    for (const email of emails) await signUp(server, email);
    const all = dataOf(await request(server.graphqlUrl, UsersDocument, { emailContains: tag.toUpperCase() }, asAdmin)).users;
    expect(all.map((u) => u.email)).toEqual([...emails].sort());
    expect(all.every((u) => u.role === "USER")).toBe(true);
    const page = dataOf(await request(server.graphqlUrl, UsersDocument, { emailContains: tag, limit: 1, offset: 1 }, asAdmin)).users;
    expect(page.map((u) => u.email)).toEqual([`b-${tag}@example.com`]);
    const admins = dataOf(await request(server.graphqlUrl, UsersDocument, { emailContains: adminEmail }, asAdmin)).users;
    expect(admins).toEqual([expect.objectContaining({ email: adminEmail, role: "ADMIN" })]);
  });
});
