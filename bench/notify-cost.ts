import { performance } from "node:perf_hooks";
import { Client, Pool } from "pg";
import { benchDatabase, cpuSecondsOf, fmt, LOAD_SECONDS, psql, runAlone, startService, stopService, type Section } from "./harness";
import { median, percentile } from "./stats";

// The capacity model (docs/scaling.md): 14 instances, each listening, and 1,000 endings a second;
// with the logins (580/s at peak) and refreshes (280/s) that also notify, about 2,000 a second.
const LISTENERS = 14;
const PACED_RATES = [1000, 2000];
const CLIENTS = 16;
const CHANNEL = "session_service_news";

// An ending as the service writes it (sessions/session-store.ts endSessions), one session a statement.
const END_ONE = `WITH ended AS (
   UPDATE sessions SET ended_at = now(), end_reason = 'TERMINATED', ended_by = user_id
    WHERE id = $1 AND ended_at IS NULL
    RETURNING id, user_id, ended_at, end_reason, ended_by, ip_address, device_type, browser, country, region, city, timezone),
 logged AS (
   INSERT INTO activity (user_id, kind, at, session_id, reason, by_administrator, actor_id, ip_address, device_type, browser, country, region, city, timezone)
   SELECT user_id, 'SESSION_ENDED', ended_at, id, end_reason, false, NULL, ip_address, device_type, browser, country, region, city, timezone FROM ended)
 SELECT id FROM ended`;

interface Run {
  endings: number;
  perSecond: number;
  postgresCpuMicros: number;
  commitP50: number;
  commitP99: number;
  /** From the statement sent to the notification at the first listener; empty without NOTIFY. */
  heardP50?: number;
  heardP99?: number;
  /** Notifications each listener missed (should be 0). */
  missed?: number;
}

/**
 * What PostgreSQL's NOTIFY costs per ending, the bus instances use without Redis
 * (migrations/1765987200000-postgres-bus.ts): endings at the capacity model's rates with 14
 * listening connections, with the revocation log's NOTIFY trigger and without it, and the most
 * endings a second either way (NOTIFY serialises the commits that notify).
 */
export async function run(): Promise<Section> {
  const database = await benchDatabase("notify");
  try {
    // The service's own migrations make the schema; then it is not needed.
    await stopService(await startService(database.url));
    // Enough for every case: the paced ones, and the unpaced one at up to 15,000 a second; twice.
    const sessionIds = seedSessions(database.url, 2 * LOAD_SECONDS * (PACED_RATES.reduce((a, b) => a + b, 0) + 15_000));
    const pool = new Pool({ connectionString: database.url, max: CLIENTS });
    const listeners = await Promise.all(Array.from({ length: LISTENERS }, () => listen(database.url)));
    try {
      const next = (() => {
        let i = 0;
        return () => {
          if (i >= sessionIds.length) throw new Error("the bench ran out of sessions to end");
          return sessionIds[i++];
        };
      })();
      const runs: { name: string; notify: boolean; run: Run }[] = [];
      for (const notify of [true, false]) {
        psql(`ALTER TABLE revocation_log ${notify ? "ENABLE" : "DISABLE"} TRIGGER revocation_log_notify`, database.url);
        for (const rate of PACED_RATES) runs.push({ name: `${fmt(rate)} endings/s`, notify, run: await endAt(pool, listeners, next, rate, notify) });
        runs.push({ name: "as many as it takes", notify, run: await endAt(pool, listeners, next, undefined, notify) });
      }
      const row = (r: { name: string; notify: boolean; run: Run }) =>
        `| ${r.name} | ${r.notify ? "NOTIFY" : "none"} | ${fmt(r.run.perSecond)} | ${fmt(r.run.postgresCpuMicros)} µs | ${r.run.commitP50.toFixed(1)} / ${r.run.commitP99.toFixed(1)} ms | ${r.run.heardP50 !== undefined ? `${r.run.heardP50.toFixed(1)} / ${r.run.heardP99!.toFixed(1)} ms` : "—"} | ${r.run.missed ?? "—"} |`;
      const at = (name: string, notify: boolean) => runs.find((r) => r.name === name && r.notify === notify)!.run;
      const modelRate = `${fmt(PACED_RATES[0])} endings/s`;
      const extraCpu = at(modelRate, true).postgresCpuMicros - at(modelRate, false).postgresCpuMicros;
      const ceiling = at("as many as it takes", true).perSecond;
      const markdown = [
        `One PostgreSQL, ${LISTENERS} connections listening on \`${CHANNEL}\` (the capacity model's 14 instances), ${CLIENTS} clients each ending one session per statement as the service does, for ${LOAD_SECONDS} s a case; with the revocation log's NOTIFY trigger enabled, then disabled. PostgreSQL CPU is every backend's, per ending.`,
        "",
        "| endings | trigger | endings/s | PostgreSQL CPU per ending | commit p50 / p99 | sent → heard by a listener p50 / p99 | missed per listener |",
        "|---|---|---|---|---|---|---|",
        ...runs.map(row),
        "",
        `- NOTIFY adds **${fmt(extraCpu)} µs** of PostgreSQL CPU per ending at ${modelRate} with ${LISTENERS} listeners (${fmt((extraCpu * PACED_RATES[0]) / 1e6, 2)} cores at that rate).`,
        `- the most endings a second with NOTIFY: **${fmt(ceiling)}/s** (${(ceiling / at("as many as it takes", false).perSecond).toFixed(2)}× without it): PostgreSQL serialises the commits of transactions that notify.`,
      ].join("\n");
      return { title: "PostgreSQL as the bus: NOTIFY's cost", markdown };
    } finally {
      for (const listener of listeners) await listener.client.end();
      await pool.end();
    }
  } finally {
    database.drop();
  }
}

/** `count` active sessions of one user, written with triggers off (their starts would notify). */
function seedSessions(url: string, count: number): string[] {
  const ids = psql(
    `SET session_replication_role = replica;
     WITH u AS (INSERT INTO users (email, password_hash, email_skeleton, role) VALUES ('notify-bench@example.com', 'x', 'notify-bench@example.com', 'USER') RETURNING id)
     INSERT INTO sessions (user_id, user_agent, device_type, browser, ip_address, client, signals, expires_at, last_active_at, created_at)
     SELECT u.id, 'bench', 'Linux', 'Chrome', '127.0.0.1', 'BROWSER', '{}', now() + interval '1 day', now(), now() FROM u, generate_series(1, ${count})
     RETURNING id`,
    url,
  );
  return ids.trim().split("\n").filter((line) => /^[0-9a-f-]{36}$/.test(line));
}

interface Listener {
  client: Client;
  heard: Map<string, number>;
}

async function listen(url: string): Promise<Listener> {
  const client = new Client({ connectionString: url });
  const heard = new Map<string, number>();
  client.on("notification", (message) => {
    const notice = JSON.parse(message.payload ?? "{}") as { e?: [string, string] };
    if (notice.e) heard.set(notice.e[0], performance.now());
  });
  await client.connect();
  await client.query(`LISTEN ${CHANNEL}`);
  return { client, heard };
}

/** Ends sessions at `rate` a second (as fast as the clients go when undefined) for LOAD_SECONDS. */
async function endAt(pool: Pool, listeners: Listener[], next: () => string, rate: number | undefined, notify: boolean): Promise<Run> {
  for (const listener of listeners) listener.heard.clear();
  const sent = new Map<string, number>();
  const commits: number[] = [];
  const started = performance.now();
  const until = started + LOAD_SECONDS * 1000;
  const cpuBefore = cpuSecondsOf(["postgres"]);
  let issued = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        if (rate !== undefined) {
          // Paced: the n-th ending is due n/rate seconds after the start.
          const due = started + (issued / rate) * 1000;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          if (performance.now() >= until) break;
        }
        issued++;
        const id = next();
        const at = performance.now();
        sent.set(id, at);
        await pool.query(END_ONE, [id]);
        commits.push(performance.now() - at);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const postgresCpuMicros = ((cpuSecondsOf(["postgres"]) - cpuBefore) * 1e6) / commits.length;
  // Notifications still in flight arrive within moments.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const result: Run = { endings: commits.length, perSecond: commits.length / elapsed, postgresCpuMicros, commitP50: median(commits), commitP99: percentile(commits, 99) };
  if (!notify) return result;
  const heard = [...sent].map(([id, at]) => (listeners[0].heard.get(id) ?? Infinity) - at).filter(Number.isFinite);
  return { ...result, heardP50: median(heard), heardP99: percentile(heard, 99), missed: Math.max(...listeners.map((l) => sent.size - l.heard.size)) };
}

if (require.main === module) runAlone(run);
