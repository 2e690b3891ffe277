/**
 * npm run device -- --url http://localhost:4000/graphql --email alice@example.com --name "Test phone"
 *
 * A device on the command line, built on the client package: logs in as an app (the password
 * from standard input, or asked for on a terminal), prints every change to the account's
 * sessions and every change of its live connection, and exits with the reason once its session
 * ends. Operators and app developers see the whole flow without writing an app.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createSessionClient, memoryStorage, SessionServiceError, type Session } from "@session-service/client";
import { WebSocket } from "ws";

const USAGE = 'usage: npm run device -- --url http://localhost:4000/graphql --email you@example.com [--name "Test phone"] [--app-name Acme --app-version 3.2.1]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: "string" }, email: { type: "string" }, name: { type: "string" }, "app-name": { type: "string" }, "app-version": { type: "string" } },
  });
  if (!values.url || !values.email) {
    console.error(USAGE);
    return 2;
  }
  const password = await readPassword();
  const client = createSessionClient({
    url: values.url,
    storage: memoryStorage(),
    WebSocket,
    headers: { "user-agent": "session-service-device/0.1 (command line)" },
    device: { name: values.name, appName: values["app-name"] ?? "Command-line device", appVersion: values["app-version"] ?? "0.1" },
  });

  let session: Session;
  try {
    ({ session } = await client.login(values.email, password));
  } catch (error) {
    console.error(`login refused: ${error instanceof SessionServiceError ? `${error.code}: ${error.message}` : String(error)}`);
    client.dispose();
    return 1;
  }
  say(`signed in as ${values.email}: session ${session.id} (${describe(session)})`);

  let connected = false;
  client.onChange(() => {
    if (client.live.connected === connected) return;
    connected = client.live.connected;
    say(connected ? "live: connected" : "live: reconnecting…");
  });

  let known = new Map<string, Session>();
  let first = true;
  const stopWatching = client.watchSessions((sessions) => {
    const now = new Map(sessions.map((s) => [s.id, s]));
    if (first) say(`${sessions.length} active session(s):${sessions.map((s) => `\n  ${line(s)}`).join("")}`);
    else {
      for (const s of sessions) if (!known.has(s.id)) say(`started: ${line(s)}`);
      for (const s of known.values()) if (!now.has(s.id)) say(`ended: ${line(s)}`);
    }
    first = false;
    known = now;
  });

  const ending = await new Promise<{ reason: string | null; endedAt: string | null }>((resolve) => {
    client.onSignedOut(resolve);
    const stop = () => void client.logout().catch(() => client.dispose());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  stopWatching();
  client.dispose();
  say(`signed out: ${ending.reason ?? "ended"}${ending.endedAt ? ` at ${ending.endedAt}` : ""}`);
  return 0;
}

function say(text: string): void {
  console.log(`${new Date().toISOString()} ${text}`);
}

function describe(s: Session): string {
  return `${s.name ? `${s.name}, ` : ""}${s.browser}${s.browserVersion ? ` ${s.browserVersion}` : ""} · ${s.deviceType}`;
}

function line(s: Session): string {
  return `${s.id} ${describe(s)}, ${s.ipAddress}${s.isCurrent ? " (this device)" : ""}`;
}

/** The password from standard input (a pipe), or asked for without echo on a terminal. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, "");
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = prompt as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write("Password: ");
  output._writeToOutput = () => undefined;
  const answer = await new Promise<string>((resolve) => prompt.question("", resolve));
  prompt.close();
  process.stdout.write("\n");
  return answer;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
