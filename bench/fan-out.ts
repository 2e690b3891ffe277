import { performance } from "node:perf_hooks";
import { benchDatabase, cpuSeconds, fmt, rssBytes, runAlone, startService, stopService, type Section } from "./harness";
import { PASSWORD, gql, login, TERMINATE, userWithSessions, type Signed } from "./graphql";
import { openWatchers, untilSubscribed, type Watcher } from "./socket-swarm";
import { median, percentile } from "./stats";
import { latencyCdfSvg } from "./svg-chart";

const SESSIONS = Number(process.env.FANOUT_SESSIONS ?? 1000);
const PER_SESSION = 10;
const METRICS_TOKEN = "bench-metrics-token-0123456789";
const ADMIN_EMAIL = "bench-admin@example.com";

interface Storm {
  latencies: number[];
  cpuMicrosPerEvent: number;
  missing: number;
}

const summary = (values: number[]) => `p50 ${median(values).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;

/** Waits for every watcher's event (or 30 s), then measures from `respondedAt(watcher)`. */
async function collect(watchers: Watcher[], respondedAt: (w: Watcher) => number, pid: number, cpuBefore: number): Promise<Storm> {
  await Promise.race([Promise.all(watchers.map((w) => w.closed)), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  const cpu = cpuSeconds(pid) - cpuBefore;
  const heard = watchers.filter((w) => w.eventAt !== undefined);
  return {
    latencies: heard.map((w) => w.eventAt! - respondedAt(w)),
    cpuMicrosPerEvent: (cpu * 1e6) / Math.max(1, heard.length),
    missing: watchers.length - heard.length,
  };
}

/**
 * 10,000 sessionRevoked subscribers on one instance (1,000 sessions × 10 sockets), ended once by
 * one adminLogoutUser and once by 1,000 terminateSession calls.
 */
export async function run(): Promise<Section> {
  const database = await benchDatabase("fanout");
  const service = await startService(database.url, { METRICS_TOKEN, ADMIN_EMAIL, ADMIN_PASSWORD: PASSWORD });
  const graphqlUrl = `${service.url}/graphql`;
  const wsUrl = graphqlUrl.replace(/^http/, "ws");
  const pid = service.child.pid!;
  try {
    const admin = await login(graphqlUrl, ADMIN_EMAIL);
    // adminLogoutUser: one user, SESSIONS sessions.
    const victims = await userWithSessions(graphqlUrl, SESSIONS);
    const rssIdle = rssBytes(pid);
    let watchers = await openWatchers(wsUrl, victims, PER_SESSION);
    await untilSubscribed(service.url, METRICS_TOKEN, watchers.length);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const bytesPerSubscriber = (rssBytes(pid) - rssIdle) / watchers.length;

    let cpuBefore = cpuSeconds(pid);
    await gql(graphqlUrl, "mutation($u: ID!) { adminLogoutUser(userId: $u) }", { u: victims[0].userId }, admin.accessToken);
    const adminRespondedAt = performance.now();
    const adminStorm = await collect(watchers, () => adminRespondedAt, pid, cpuBefore);

    // terminateSession: another user's SESSIONS sessions, each ended by its own call.
    const others: Signed[] = await userWithSessions(graphqlUrl, SESSIONS + 1);
    const [keeper, ...ended] = others;
    watchers = await openWatchers(wsUrl, ended, PER_SESSION);
    await untilSubscribed(service.url, METRICS_TOKEN, watchers.length);
    const respondedAt = new Map<string, number>();
    cpuBefore = cpuSeconds(pid);
    const callers = 10;
    await Promise.all(
      Array.from({ length: callers }, async (_, c) => {
        for (let i = c; i < ended.length; i += callers) {
          await gql(graphqlUrl, TERMINATE, { id: ended[i].sessionId }, keeper.accessToken);
          respondedAt.set(ended[i].sessionId, performance.now());
        }
      }),
    );
    const callStorm = await collect(watchers, (w) => respondedAt.get(w.sessionId)!, pid, cpuBefore);

    const subscribers = SESSIONS * PER_SESSION;
    const markdown = [
      `${fmt(subscribers)} WebSocket connections, each subscribed to \`sessionRevoked\` (${fmt(SESSIONS)} sessions × ${PER_SESSION}), on one instance (PostgreSQL, Redis, \`NODE_ENV=production\`). Latency: from the mutation's HTTP response reaching the bench to each socket's event (negative: the push arrived before the response). Bench client and server share the 2 cores.`,
      "",
      "| storm | events | latency | server CPU per delivered event | missing |",
      "|---|---|---|---|---|",
      `| one \`adminLogoutUser\` ending ${fmt(SESSIONS)} sessions | ${fmt(adminStorm.latencies.length)} | ${summary(adminStorm.latencies)} | ${fmt(adminStorm.cpuMicrosPerEvent)} µs | ${adminStorm.missing} |`,
      `| ${fmt(SESSIONS)} \`terminateSession\` calls, 10 callers | ${fmt(callStorm.latencies.length)} | ${summary(callStorm.latencies)} | ${fmt(callStorm.cpuMicrosPerEvent)} µs (includes the calls) | ${callStorm.missing} |`,
      "",
      `- server memory per idle subscriber: **${fmt(bytesPerSubscriber / 1024, 1)} KiB** (RSS growth over ${fmt(subscribers)} connections, target < 20 KiB)`,
      `- push p99 target < 50 ms: adminLogoutUser ${percentile(adminStorm.latencies, 99).toFixed(1)} ms, terminateSession ${percentile(callStorm.latencies, 99).toFixed(1)} ms`,
      "- distribution: [push-latency.svg](push-latency.svg)",
    ].join("\n");
    const svg = latencyCdfSvg(`Push latency, ${fmt(subscribers)} subscribers on one instance`, [
      { name: "one adminLogoutUser (1,000 sessions)", valuesMs: adminStorm.latencies },
      { name: "1,000 terminateSession calls", valuesMs: callStorm.latencies },
    ]);
    for (const w of watchers) w.socket.terminate();
    return { title: "Fan-out: 10,000 subscribers", markdown, files: [{ name: "push-latency.svg", content: svg }] };
  } finally {
    await stopService(service);
    database.drop();
  }
}

if (require.main === module) runAlone(run);
