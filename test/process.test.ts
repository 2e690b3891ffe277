import fs from "node:fs";
import path from "node:path";
import { SocketClose } from "../src/server/websocket/close-codes";
import { LoginDocument, MeDocument, MySessionsDocument, RefreshSessionDocument, TerminateSessionDocument, UsersDocument } from "../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail } from "./helpers/accounts";
import { codeOf, dataOf, request } from "./helpers/graphql-client";
import { expectStartRefused } from "./helpers/start-failure";
import { CREATE_USER_ENTRY, runProcess, SERVICE_ENTRY, startServiceProcess, type ServiceProcess } from "../support/service-process";
import { seededDataDir, tempDataDir, serverAt } from "./helpers/test-server";
import { WsTestClient } from "./helpers/ws-client";

// The service as `npm start` runs it: a separate process, its own signals, its own data folder.
// Each data folder starts from a copy of the migrated template database (jest's globalSetup),
// yet every process still loads the service and opens its database: these tests start several.
jest.setTimeout(120_000);
const embedded = !process.env.DATABASE_URL;
const databaseEnv = { DATABASE_URL: process.env.DATABASE_URL };

async function stopWithSigterm(service: ServiceProcess): Promise<{ code: number | string; ms: number }> {
  const started = Date.now();
  service.child.kill("SIGTERM");
  const code = await service.exited;
  return { code, ms: Date.now() - started };
}

describe("the service process", () => {
  test("serves health and the IDE, refuses a second process on its embedded database, shuts down cleanly on SIGTERM, and a restart keeps sessions and revocations", async () => {
    const dataDir = await seededDataDir();
    if (embedded) {
      // As an install made under umask 022 (or 000) would have left them.
      fs.chmodSync(dataDir, 0o755);
      for (const entry of fs.readdirSync(path.join(dataDir, "pglite"), { recursive: true }) as string[]) {
        const file = path.join(dataDir, "pglite", entry);
        fs.chmodSync(file, fs.statSync(file).isDirectory() ? 0o777 : 0o666);
      }
    }
    const first = await startServiceProcess({ ...databaseEnv, DATA_DIR: dataDir });
    const server = serverAt(first.url);
    let survivor;
    let ended;
    try {
      expect(first.listening.ide).toMatch(/^open http:\/\/\S+\/graphql in a browser$/);
      expect(first.listening.ide).toBe(`open ${first.listening.graphql} in a browser`);
      expect(first.listening.websocket).toBe(first.listening.graphql.replace(/^http/, "ws"));
      expect(first.listening.database).toBe(embedded ? `embedded PGlite in ${dataDir}` : "PostgreSQL from DATABASE_URL");
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", database: embedded ? "pglite" : "postgres" });
      const ide = await fetch(`${first.url}/graphql`, { headers: { accept: "text/html" } });
      expect(ide.status).toBe(200);
      expect(ide.headers.get("content-type")).toMatch(/text\/html/);

      if (embedded) {
        // The embedded database belongs to one process: a second one on the same folder is refused.
        const second = await runProcess([SERVICE_ENTRY], { DATA_DIR: dataDir, PORT: "0" });
        expect(second.code).toBe(1);
        expect(second.output).toMatch(/in use by process/);
        expectStartRefused(second, /in use by process \d+; stop it, or set DATABASE_URL/);
      }

      const email = uniqueEmail();
      survivor = await signUp(server, email);
      ended = await login(server, email);
      dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: ended.session.id }, { token: survivor.accessToken }));

      const socket = new WsTestClient(server.wsUrl);
      await socket.init({ authorization: `Bearer ${survivor.accessToken}` });
      const { code, ms } = await stopWithSigterm(first);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect((await socket.closed).code).toBe(SocketClose.ServiceRestart);
      await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    } finally {
      first.child.kill("SIGKILL");
    }

    if (embedded) {
      const secretFile = path.join(dataDir, "jwt-secret");
      expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
      // The embedded database (emails, password hashes, its write-ahead log) is this user's alone,
      // whatever the umask: the one that made the copied files world-readable included.
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      for (const entry of fs.readdirSync(path.join(dataDir, "pglite"), { recursive: true }) as string[]) {
        const stat = fs.lstatSync(path.join(dataDir, "pglite", entry));
        if (!stat.isSymbolicLink()) expect([entry, stat.mode & 0o777]).toEqual([entry, stat.isDirectory() ? 0o700 : 0o600]);
      }
    }

    // Same data folder, no JWT_SECRET given: the generated one was kept, so tokens still verify.
    const second = await startServiceProcess({ ...databaseEnv, DATA_DIR: dataDir });
    const again = serverAt(second.url);
    try {
      dataOf(await request(again.graphqlUrl, MeDocument, {}, { token: survivor.accessToken }));
      expect(codeOf(await request(again.graphqlUrl, MeDocument, {}, { token: ended.accessToken }))).toBe("UNAUTHENTICATED");
      expect(codeOf(await request(again.graphqlUrl, RefreshSessionDocument, { refreshToken: ended.refreshToken }))).toBe("UNAUTHENTICATED");
      const refreshed = dataOf(await request(again.graphqlUrl, RefreshSessionDocument, { refreshToken: survivor.refreshToken })).refreshSession;
      const listed = dataOf(await request(again.graphqlUrl, MySessionsDocument, {}, { token: refreshed.accessToken })).mySessions;
      expect(listed.map((s) => s.id)).toEqual([survivor.session.id]);
    } finally {
      expect((await stopWithSigterm(second)).code).toBe(0);
    }
  });

  // A lock the operating system releases: after a SIGKILL (in a container, the restarted service
  // often gets the same process id) the next start must not find the database locked for good.
  (embedded ? test : test.skip)("the embedded database's lock dies with its process: SIGKILL, a reused process id", async () => {
    const dataDir = await seededDataDir();
    // What the old lock left behind: a file naming a process that is alive (here, this one).
    fs.writeFileSync(path.join(dataDir, "pglite.lock"), String(process.pid));
    const first = await startServiceProcess({ DATA_DIR: dataDir });
    const { accessToken } = await signUp(serverAt(first.url), uniqueEmail());
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await startServiceProcess({ DATA_DIR: dataDir });
    try {
      dataOf(await request(serverAt(second.url).graphqlUrl, MeDocument, {}, { token: accessToken }));
    } finally {
      expect((await stopWithSigterm(second)).code).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
  });

  test("refuses to start in production without JWT_SECRET, and on invalid settings", async () => {
    // Refused while reading the settings: the (empty) data folders are never used, so not seeded.
    const production = await runProcess([SERVICE_ENTRY], { NODE_ENV: "production", DATA_DIR: tempDataDir() });
    expect(production.code).toBe(1);
    expect(production.output).toMatch(/JWT_SECRET is required/);
    expectStartRefused(production, /JWT_SECRET is required when NODE_ENV=production/);
    const badTtl = await runProcess([SERVICE_ENTRY], { ACCESS_TOKEN_TTL_SECONDS: "soon", DATA_DIR: tempDataDir() });
    expect(badTtl.code).toBe(1);
    expect(badTtl.output).toMatch(/ACCESS_TOKEN_TTL_SECONDS/);
    expectStartRefused(badTtl, /ACCESS_TOKEN_TTL_SECONDS must be an integer/);
  });
});

describe("the create-user script", () => {
  const cli = (args: string[], env: Record<string, string | undefined>, stdin?: string) => runProcess([CREATE_USER_ENTRY, ...args], env, stdin);

  test("creates accounts; changes an existing one only as told, a given password ending its sessions; one-line errors; --help", async () => {
    const dataDir = await seededDataDir();
    const env = { ...databaseEnv, DATA_DIR: dataDir };
    const adminEmail = uniqueEmail("cli-admin");
    const created = await cli(["--email", adminEmail, "--password-stdin", "--admin"], env, `${PASSWORD}\n`);
    expect(created.output).toMatch(/created .* \(ADMIN/);
    expect(created.code).toBe(0);
    const bad = await cli(["--email", "not-an-email", "--password", PASSWORD], env);
    expect(bad.code).toBe(2);
    expect(bad.output.trim().split("\n")).toEqual([expect.stringMatching(/^error: Invalid email address\./)]);
    const unknownRole = await cli(["--email", adminEmail, "--role", "OWNER"], env);
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.output.trim().split("\n")).toEqual([expect.stringMatching(/^error: --role must be one of USER, ADMIN/)]);
    const help = await cli(["--help"], env);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/--role +USER or ADMIN/);

    const service = await startServiceProcess(env);
    const server = serverAt(service.url);
    let user: Awaited<ReturnType<typeof signUp>>;
    const userEmail = uniqueEmail("cli-user");
    try {
      user = await signUp(server, userEmail);
      expect(user.user.role).toBe("USER");
      const admin = await login(server, adminEmail);
      expect(admin.user.role).toBe("ADMIN");
      const found = dataOf(await request(server.graphqlUrl, UsersDocument, { emailContains: adminEmail }, { token: admin.accessToken })).users;
      expect(found.map((u) => u.email)).toEqual([adminEmail]);
      expect(codeOf(await request(server.graphqlUrl, UsersDocument, {}, { token: user.accessToken }))).toBe("FORBIDDEN");
    } finally {
      await stopWithSigterm(service);
    }

    // A password given for an existing account replaces the old one and ends its sessions; its role stays.
    const reset = await cli(["--email", userEmail.toUpperCase(), "--password", "a password set by the operator"], env);
    expect(reset.output).toMatch(/updated .* \(USER, id .*\): password replaced, 1 session\(s\) ended/);
    const promoted = await cli(["--email", userEmail, "--role", "admin"], env);
    expect(promoted.output).toMatch(/updated .* \(ADMIN, id .*\): role USER -> ADMIN$/m);
    // No --role: nobody is demoted.
    const adminReset = await cli(["--email", adminEmail, "--password", "the admin's new password"], env);
    expect(adminReset.output).toMatch(/updated .* \(ADMIN, id .*\): password replaced/);
    const unchanged = await cli(["--email", adminEmail], env);
    expect(unchanged.output).toMatch(/nothing to change for .* \(ADMIN/);

    const restarted = await startServiceProcess(env);
    const again = serverAt(restarted.url);
    try {
      const promotedLogin = await login(again, userEmail, undefined, "a password set by the operator");
      expect(promotedLogin.user.role).toBe("ADMIN");
      dataOf(await request(again.graphqlUrl, UsersDocument, {}, { token: promotedLogin.accessToken }));
      expect(codeOf(await request(again.graphqlUrl, LoginDocument, { email: userEmail, password: PASSWORD }))).toBe("UNAUTHENTICATED");
      expect(codeOf(await request(again.graphqlUrl, MeDocument, {}, { token: user!.accessToken }))).toBe("UNAUTHENTICATED");
      expect((await login(again, adminEmail, undefined, "the admin's new password")).user.role).toBe("ADMIN");
    } finally {
      await stopWithSigterm(restarted);
    }
  });
});
