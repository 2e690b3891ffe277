import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { hashPassword } from "../src/auth/password";
import { benchDatabase, cpuSeconds, fmt, LOAD_SECONDS, runAlone, startService, stopService, type Section } from "./harness";
import { PASSWORD, userWithSessions } from "./graphql";
import { median, percentile } from "./stats";

const REFRESH_CONNECTIONS = 20;


/** argon2id hashes per second on this machine, as many at once as libuv's pool runs. */
async function hashesPerSecond(seconds: number): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) {
        await hashPassword(PASSWORD);
        done++;
      }
    }),
  );
  return done / seconds;
}

/** Login throughput (argon2-bound) and refresh throughput (each connection following its own rotation chain). */
export async function run(): Promise<Section> {
  const database = await benchDatabase("login");
  const service = await startService(database.url);
  try {
    const graphqlUrl = `${service.url}/graphql`;
    const sessions = await userWithSessions(graphqlUrl, REFRESH_CONNECTIONS);
    const email = await emailOf(graphqlUrl, sessions[0].accessToken);
    let cpu = cpuSeconds(service.child.pid!);
    const logins = await autocannon({
      url: graphqlUrl,
      method: "POST",
      connections: 8,
      duration: LOAD_SECONDS,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", variables: { e: email, p: PASSWORD } }),
    });
    const loginCpu = ((cpuSeconds(service.child.pid!) - cpu) * 1e6) / Math.max(1, logins.requests.total);

    // Each client rotates its own session's refresh token, one refresh after another, as a client does.
    let refreshFailures = 0;
    const refreshTimes: number[] = [];
    cpu = cpuSeconds(service.child.pid!);
    const started = performance.now();
    const until = started + LOAD_SECONDS * 1000;
    await Promise.all(
      sessions.map(async (session) => {
        let token = session.refreshToken;
        while (performance.now() < until) {
          const sent = performance.now();
          const next = await refreshOnce(graphqlUrl, token);
          refreshTimes.push(performance.now() - sent);
          if (next) token = next;
          else refreshFailures++;
        }
      }),
    );
    const refreshes = { perSecond: refreshTimes.length / ((performance.now() - started) / 1000), total: refreshTimes.length };
    const refreshCpu = ((cpuSeconds(service.child.pid!) - cpu) * 1e6) / Math.max(1, refreshes.total);
    const hashes = await hashesPerSecond(3);
    const markdown = [
      `One service process, PostgreSQL and Redis, \`NODE_ENV=production\`, autocannon for ${LOAD_SECONDS} s.`,
      "",
      "| operation | req/s | p50 / p99 ms | server CPU µs/req | failures |",
      "|---|---|---|---|---|",
      `| \`login\` (8 connections, one account) | ${fmt(logins.requests.average, 1)} | ${logins.latency.p50} / ${logins.latency.p99} | ${fmt(loginCpu)} | ${logins.errors + logins.non2xx} |`,
      `| \`refreshSession\` (${REFRESH_CONNECTIONS} clients, each following its own rotation chain) | ${fmt(refreshes.perSecond)} | ${median(refreshTimes).toFixed(0)} / ${percentile(refreshTimes, 99).toFixed(0)} | ${fmt(refreshCpu)} | ${refreshFailures} |`,
      "",
      `- argon2id (19 MiB, t=2, p=1) alone, in the bench process, 4 at a time: **${fmt(hashes, 1)} hashes/s**; logins reach ${((logins.requests.average / hashes) * 100).toFixed(0)}% of it (the service shares the cores with the bench and PostgreSQL).`,
    ].join("\n");
    return { title: "Login and refresh throughput", markdown };
  } finally {
    await stopService(service);
    database.drop();
  }
}

async function refreshOnce(graphqlUrl: string, refreshToken: string): Promise<string | null> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "mutation($r: String!) { refreshSession(refreshToken: $r) { refreshToken } }", variables: { r: refreshToken } }),
  });
  return ((await response.json()) as { data?: { refreshSession?: { refreshToken: string } } }).data?.refreshSession?.refreshToken ?? null;
}

async function emailOf(graphqlUrl: string, token: string): Promise<string> {
  const response = await fetch(graphqlUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query: "{ me { email } }" }) });
  return ((await response.json()) as { data: { me: { email: string } } }).data.me.email;
}

if (require.main === module) runAlone(run);
