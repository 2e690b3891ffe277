import net from "node:net";
import { accepting, freePort, runProcess, SERVICE_ENTRY, spawnNpm, spawnService } from "../support/service-process";
import { embeddedDatabaseFiles, expectStartRefused, lockLeftIn } from "./helpers/start-failure";
import { seededDataDir, tempDataDir } from "./helpers/test-server";
import { until } from "./helpers/time";

// The built service (`node dist/src/index.js`) refusing to start: what an operator sees, and
// what the refused start leaves behind. Cases that start a database also run on PostgreSQL
// when this run has one; the others need no database at all.
jest.setTimeout(60_000);

const modes: [string, Record<string, string | undefined>][] = [
  ["the embedded database", {}],
  ...(process.env.DATABASE_URL ? [["PostgreSQL", { DATABASE_URL: process.env.DATABASE_URL }] as [string, Record<string, string>]] : []),
];

function start(env: Record<string, string | undefined>) {
  return runProcess([SERVICE_ENTRY], { HOST: "127.0.0.1", PORT: "0", ...env }, undefined, 45_000);
}

/** A loopback port nothing listens on: closed connections are refused at once. */
const closedPort = freePort;

describe("a start the operator must fix ends with one line and exit code 1", () => {
  describe.each(modes)("on %s", (_mode, databaseEnv) => {
    test("a port in use is reported before the database starts, at once", async () => {
      const occupier = net.createServer();
      await new Promise<void>((resolve) => occupier.listen(0, "127.0.0.1", resolve));
      const { port } = occupier.address() as net.AddressInfo;
      try {
        // Empty on purpose: any database start would leave its folder (and a lock, if killed) here.
        const dataDir = tempDataDir();
        const result = await start({ ...databaseEnv, PORT: String(port), DATA_DIR: dataDir });
        expectStartRefused(result, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use: stop whatever uses it, or set PORT`));
        expect(embeddedDatabaseFiles(dataDir)).toEqual([]);
        // Loading the code is most of it: a database start alone takes longer.
        expect(result.ms).toBeLessThan(2_000);
      } finally {
        await new Promise((resolve) => occupier.close(resolve));
      }
    });

    test("an unreachable REDIS_URL is reported after the database started, which is stopped again", async () => {
      const dataDir = await seededDataDir();
      const result = await start({ ...databaseEnv, DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
      // "timeout" here would mean the process hung with its database open.
      expectStartRefused(result, /Redis at 127\.0\.0\.1:\d+ \(REDIS_URL\).*ECONNREFUSED/);
      expect(lockLeftIn(dataDir)).toBe(false);
    });
  });

  test("an unreachable DATABASE_URL", async () => {
    const port = await closedPort();
    const result = await start({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`, DATA_DIR: tempDataDir() });
    expectStartRefused(result, new RegExp(`cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/x \\(DATABASE_URL\\).*ECONNREFUSED`));
  });

  test.each([
    ["mysql://x", /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ["not-a-url", /DATABASE_URL is not a URL/],
  ])("DATABASE_URL=%s", async (databaseUrl, problem) => {
    const dataDir = tempDataDir();
    expectStartRefused(await start({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir }), problem);
    expect(embeddedDatabaseFiles(dataDir)).toEqual([]);
  });

  test("REDIS_URL=not-a-url", async () => {
    const dataDir = tempDataDir();
    expectStartRefused(await start({ REDIS_URL: "not-a-url", DATA_DIR: dataDir }), /REDIS_URL is not a URL/);
    expect(embeddedDatabaseFiles(dataDir)).toEqual([]);
  });

  test.each([
    ["ADMIN_PASSWORD=short", { ADMIN_EMAIL: "admin@example.com", ADMIN_PASSWORD: "short" }, /^cannot start: ADMIN_PASSWORD: /],
    ["ADMIN_EMAIL=not-an-email", { ADMIN_EMAIL: "not-an-email", ADMIN_PASSWORD: "a-long-enough-password" }, /^cannot start: ADMIN_EMAIL: /],
  ])("%s", async (_name, admin, problem) => {
    const dataDir = tempDataDir();
    expectStartRefused(await start({ ...admin, DATA_DIR: dataDir }), problem);
    expect(embeddedDatabaseFiles(dataDir)).toEqual([]);
  });
});

describe("a signal during start-up", () => {
  // The template database only exists for embedded runs; a fresh one would take most of the shutdown deadline.
  (process.env.DATABASE_URL ? test.skip : test)("finishes the step in progress and undoes it: no lock is left", async () => {
    const dataDir = await seededDataDir();
    const service = spawnService({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir });
    try {
      // The lock appears as the database step begins and goes when the database is stopped.
      await until(() => lockLeftIn(dataDir), 20_000);
      service.child.kill("SIGTERM");
      expect(await service.exited).toBe(0);
      expect(service.output()).toContain('"msg":"shutting down"');
      expect(lockLeftIn(dataDir)).toBe(false);
    } finally {
      service.child.kill("SIGKILL");
    }
  });
});

describe("npm start", () => {
  // `npm start` builds first (tsc, seconds on a busy machine) before the service starts.
  test("stops the service when npm itself gets SIGTERM", async () => {
    const port = await freePort();
    const npm = spawnNpm(["start"], { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: await seededDataDir(), DATABASE_URL: process.env.DATABASE_URL });
    try {
      const listening = await npm.listening(80_000);
      expect(listening.graphql).toBe(`http://127.0.0.1:${port}/graphql`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      const signalled = Date.now();
      npm.child.kill("SIGTERM");
      let deadline: NodeJS.Timeout | undefined;
      const code = await Promise.race([npm.exited, new Promise((resolve) => (deadline = setTimeout(() => resolve("still running"), 10_000)))]);
      clearTimeout(deadline);
      expect({ code, output: npm.output() }).toEqual({ code: 0, output: expect.stringContaining('"msg":"shutting down"') });
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(await accepting(port)).toBe(false);
    } finally {
      // npm and the service under it, if the test failed before they ended.
      try {
        process.kill(-npm.child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }, 120_000);
});
