import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServiceProcess, type ServiceProcess } from "../support/service-process";
import { SESSION_REVOKED_URI, pushStreamTo, type PushStream } from "../support/ssf-push-stream";
import { PASSWORD, login, userWithSessions, type Signed } from "./graphql";
import { fmt, JWT_SECRET, runAlone, stopService, type Section } from "./harness";
import { outage, outageMarkdown } from "./signal-outage";
import { storm, stormMarkdown } from "./signal-storm";

// The Shared Signals transmitter's two targets (issue 16), on one service process:
// (1) a session-revoked SET reaches a push receiver on this machine p99 < 500 ms after the
//     ending's response, at 100 endings per second, side by side with the socket push;
// (2) a receiver down for 2 minutes has every event after it returns, in order, none twice.
const ENDINGS = Number(process.env.SIGNALS_BENCH_ENDINGS ?? 1500);
const RATE = Number(process.env.SIGNALS_BENCH_RATE ?? 100);
const DOWN_SECONDS = Number(process.env.SIGNALS_BENCH_DOWN_SECONDS ?? 120);
const DOWN_RATE = Number(process.env.SIGNALS_BENCH_DOWN_RATE ?? 5);
const SESSIONS_PER_USER = 100;
const METRICS_TOKEN = "bench-metrics-token-0123456789";
const ADMIN_EMAIL = "bench-admin@example.com";

/** The built service in a process of its own: the embedded PGlite unless DATABASE_URL is set, Redis only if REDIS_URL is. */
function startTransmitter(dataDir: string): Promise<ServiceProcess> {
  return startServiceProcess({
    NODE_ENV: "production",
    JWT_SECRET,
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    METRICS_TOKEN,
    ADMIN_EMAIL,
    ADMIN_PASSWORD: PASSWORD,
    // The receiver listens on plain http on this machine.
    SIGNALS_INSECURE_HOSTS: "127.0.0.1",
    SIGNUP_MAX_PER_IP: "100000000",
    HTTP_MAX_CONNECTIONS_PER_IP: "100000",
    WS_MAX_CONNECTIONS_PER_IP: "100000000",
    WS_MAX_HANDSHAKES_PER_IP: "100000000",
  });
}

/** `count` sessions, SESSIONS_PER_USER to a user. */
async function sessions(graphqlUrl: string, count: number): Promise<Signed[]> {
  const all: Signed[] = [];
  while (all.length < count) all.push(...(await userWithSessions(graphqlUrl, Math.min(SESSIONS_PER_USER, count - all.length), 8)));
  return all;
}

function head(stream: PushStream): string {
  const db = process.env.DATABASE_URL ? "PostgreSQL (`DATABASE_URL`)" : "the embedded PGlite";
  return `One service process (\`NODE_ENV=production\`, ${db}, ${process.env.REDIS_URL ? "Redis" : "no Redis"}), one receiver with one push stream; its sessions ${SESSIONS_PER_USER} to a user. SETs the receiver's verification rejected: ${stream.sets.rejected.length}.`;
}

/** Target 1 (ENDINGS at RATE per second), then target 2 (DOWN_SECONDS down, DOWN_RATE endings per second), on one stream. */
export async function run(): Promise<Section> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "session-bench-signals-"));
  const service = await startTransmitter(dataDir);
  let stream: PushStream | undefined;
  try {
    const graphqlUrl = `${service.url}/graphql`;
    const admin = await login(graphqlUrl, ADMIN_EMAIL);
    stream = await pushStreamTo(service.url, admin.accessToken, [SESSION_REVOKED_URI]);
    const signed = await sessions(graphqlUrl, ENDINGS + DOWN_SECONDS * DOWN_RATE);
    console.log(`signals: ${fmt(signed.length)} sessions; ${fmt(ENDINGS)} endings at ${RATE}/s`);
    const first = await storm(service, stream, signed.slice(0, ENDINGS), RATE, METRICS_TOKEN);
    console.log(`signals: the receiver down for ${DOWN_SECONDS} s, endings at ${DOWN_RATE}/s`);
    const second = await outage(graphqlUrl, stream, signed.slice(ENDINGS), DOWN_RATE, DOWN_SECONDS);
    const markdown = [head(stream), "", ...stormMarkdown(first, RATE, Boolean(process.env.DATABASE_URL)), "", ...outageMarkdown(second)].join("\n");
    return { title: "Shared Signals: push latency and a receiver's outage", markdown };
  } finally {
    await stream?.sets.stop().catch(() => undefined);
    await stopService(service);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) runAlone(run);
