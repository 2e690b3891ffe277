import { performance } from "node:perf_hooks";
import { AccessTokens } from "../src/auth/access-token";
import { accessKeyOf } from "../src/auth/signing-keys";
import { benchDatabase, fmt, JWT_SECRET, psql, runAlone, startService, stopService, type Section } from "./harness";
import { MY_SESSIONS } from "./graphql";
import { median, percentile } from "./stats";

const USERS = Number(process.env.SCALE_USERS ?? 100_000);
const SESSIONS_PER_USER = 10;
const ACTIVITY_PER_USER = Number(process.env.SCALE_ACTIVITY_PER_USER ?? 100);
const SAMPLES = 2000;
const MY_ACTIVITY = "{ myActivity(first: 20) { nodes { id kind at reason ipAddress deviceType browser } pageInfo { hasNextPage endCursor } } }";

function timed<T>(what: () => T): { value: T; seconds: number } {
  const started = performance.now();
  const value = what();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/** Sequential requests, one per sampled user: client-side latency of each. */
async function latencies(graphqlUrl: string, query: string, tokens: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const token of tokens) {
    const started = performance.now();
    const response = await fetch(graphqlUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`scale request failed: ${JSON.stringify(body.errors)}`);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * mySessions with 1,000,000 sessions in the table (100,000 users × 10, 3 of them active) and
 * myActivity's first page with 10,000,000 entries (100 per user), with the plans PostgreSQL uses.
 */
export async function run(): Promise<Section> {
  const database = await benchDatabase("scale");
  const service = await startService(database.url);
  try {
    const url = database.url;
    const users = timed(() =>
      psql(`INSERT INTO users (email, password_hash, role, created_at)
            SELECT 'scale' || g || '@example.com', 'not-a-hash', 'USER', now() - interval '200 days' FROM generate_series(1, ${USERS}) g`, url),
    );
    // 3 active sessions per user, 7 ended (ended rows are inserted ended: no trigger fires).
    const sessions = timed(() =>
      psql(`INSERT INTO sessions (user_id, user_agent, device_type, os, browser, browser_version, ip_address, country, city,
                                  created_at, last_active_at, expires_at, ended_at, end_reason)
            SELECT u.id, 'Mozilla/5.0 (Macintosh) Chrome/120', 'Macintosh', 'Mac OS', 'Chrome', '120', '203.0.113.' || (g * 17 % 250),
                   'US', 'Boston', now() - make_interval(days => g * 5), now() - make_interval(mins => g),
                   now() + interval '1 day', CASE WHEN g > 3 THEN now() - make_interval(days => g) END, CASE WHEN g > 3 THEN 'LOGOUT' END
              FROM users u CROSS JOIN generate_series(1, ${SESSIONS_PER_USER}) g`, url),
    );
    const activity = timed(() =>
      psql(`INSERT INTO activity (user_id, kind, at, ip_address, device_type, browser, country, city)
            SELECT u.id, CASE WHEN g % 3 = 0 THEN 'SESSION_ENDED' ELSE 'LOGGED_IN' END, now() - make_interval(mins => g * 97),
                   '203.0.113.7', 'Macintosh', 'Chrome', 'US', 'Boston'
              FROM users u CROSS JOIN generate_series(1, ${ACTIVITY_PER_USER}) g`, url),
    );
    psql("UPDATE activity SET reason = 'LOGOUT' WHERE kind = 'SESSION_ENDED'", url);
    psql("VACUUM ANALYZE", url);
    const counts = psql("SELECT (SELECT count(*) FROM sessions) || ' ' || (SELECT count(*) FROM activity)", url).trim().split(" ").map(Number);

    const sample = psql(
      `SELECT DISTINCT ON (s.user_id) s.user_id || ' ' || s.id FROM sessions s
        WHERE s.ended_at IS NULL AND s.user_id IN (SELECT id FROM users TABLESAMPLE SYSTEM (5) LIMIT ${SAMPLES})`,
      url,
    )
      .trim()
      .split("\n")
      .map((line) => line.split(" "));
    const signer = new AccessTokens(accessKeyOf(JWT_SECRET), [], "session-service", "session-service", 3600, { now: () => Date.now(), toleranceSeconds: 5 });
    const tokens = sample.map(([userId, sessionId]) => signer.sign({ userId, sessionId, role: "USER" }).token);
    const graphqlUrl = `${service.url}/graphql`;
    // One round to warm the caches the way a running service has them.
    await latencies(graphqlUrl, MY_SESSIONS, tokens.slice(0, 200));
    const mySessions = await latencies(graphqlUrl, MY_SESSIONS, tokens);
    const myActivity = await latencies(graphqlUrl, MY_ACTIVITY, tokens);

    const [someUser] = sample[0];
    const explain = (sql: string) => psql(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, url).trim();
    const sessionsPlan = explain(
      `SELECT * FROM sessions WHERE user_id = '${someUser}' AND ended_at IS NULL AND expires_at > now() ORDER BY last_active_at DESC, created_at DESC`,
    );
    const activityPlan = explain(`SELECT * FROM activity WHERE user_id = '${someUser}' ORDER BY at DESC, id DESC LIMIT 21`);
    const line = (values: number[]) => `p50 ${median(values).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms`;
    const markdown = [
      `PostgreSQL with ${fmt(counts[0])} sessions (${fmt(USERS)} users × ${SESSIONS_PER_USER}, 3 active each) and ${fmt(counts[1])} activity entries (${ACTIVITY_PER_USER} per user); loaded in ${users.seconds.toFixed(0)} s + ${sessions.seconds.toFixed(0)} s + ${activity.seconds.toFixed(0)} s, then \`VACUUM ANALYZE\`. ${fmt(tokens.length)} sampled users, one sequential request each, through the service (\`NODE_ENV=production\`, Redis).`,
      "",
      "| query | latency |",
      "|---|---|",
      `| \`mySessions\` | ${line(mySessions)} |`,
      `| \`myActivity(first: 20)\`, first page | ${line(myActivity)} |`,
      "",
      "`EXPLAIN (ANALYZE, BUFFERS)` of the sessions list for one user:",
      "",
      "```",
      sessionsPlan,
      "```",
      "",
      "and of the first activity page:",
      "",
      "```",
      activityPlan,
      "```",
    ].join("\n");
    return { title: `Scale: ${fmt(counts[0])} sessions, ${fmt(counts[1])} activity entries`, markdown };
  } finally {
    await stopService(service);
    database.drop();
  }
}

if (require.main === module) runAlone(run);
