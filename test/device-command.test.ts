import { spawn } from "node:child_process";
import path from "node:path";
import { MySessionsDocument, TerminateSessionDocument } from "../web/src/gql/graphql";
import { requireBuild, ROOT } from "../support/service-process";
import { login, PASSWORD, signUp, USER_AGENTS } from "./helpers/accounts";
import { dataOf, request } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";
import { until } from "./helpers/time";

// `npm run device`: a command-line device on the client package, as docs/mobile.md shows it.
describe("npm run device", () => {
  const server = useTestServer();

  test("logs in as a named app, prints a login elsewhere as it happens, and exits with the reason once ended", async () => {
    requireBuild();
    const owner = await signUp(server);
    const child = spawn(process.execPath, [path.join(ROOT, "dist", "scripts", "device.mjs"), "--url", server.graphqlUrl, "--email", owner.user.email, "--name", "Test phone"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdin.end(`${PASSWORD}\n`);
    try {
      await until(() => /live: connected/.test(output) && /2 active session\(s\)/.test(output), 10_000);
      expect(output).toMatch(/signed in as .*: session [0-9a-f-]{36} \(Test phone, Command-line device 0\.1/);
      const elsewhere = await login(server, owner.user.email, USER_AGENTS.windowsEdge);
      await until(() => output.includes(`started: ${elsewhere.session.id} Edge`), 5_000);

      const device = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: owner.accessToken })).mySessions.find((s) => s.name === "Test phone")!;
      expect(device).toMatchObject({ client: "APP", browser: "Command-line device" });
      dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: device.id }, { token: owner.accessToken }));
      expect(await exited).toBe(0);
      expect(output).toMatch(/signed out: TERMINATED at \d{4}-/);
    } finally {
      child.kill();
    }
  });

  test("a wrong password: the refusal and exit code 1", async () => {
    requireBuild();
    const owner = await signUp(server);
    const child = spawn(process.execPath, [path.join(ROOT, "dist", "scripts", "device.mjs"), "--url", server.graphqlUrl, "--email", owner.user.email], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stderr.on("data", (chunk) => (output += chunk));
    child.stdin.end("not the password\n");
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(1);
    expect(output).toMatch(/login refused: UNAUTHENTICATED/);
  });
});
