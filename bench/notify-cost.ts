import { performance } from "node:perf_hooks";
import { Client, Pool } from "pg";
import { benchDatabase, cpuSecondsOf, fmt, LOAD_SECONDS, psql, runAlone, startService, stopService, type Section } from "./harness";
import { median, percentile } from "./stats";
import { PostgresSessionEventBus } from "../src/realtime/postgres-session-event-bus";
import { silentLogger } from "../src/logging/logger";

// The capacity model (docs/scaling.md): 14 instances, each listening, and 1,000 endings a second;
// with the logins (580/s at peak) and refreshes (280/s) that also notify, about 2,000 a second.
const LISTENERS = 14;
const PACED_RATES = [1000, 2000];
// Fleets whose instances answer: a small one, and the capacity model's.
const ANSWERING_FLEETS = [3, LISTENERS];
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
  /** With the instances' answers: from the statement sent until every other instance said it read it. */
  answeredP50?: number;
  answeredP99?: number;
  /** Endings whose answer did not come within the wait (the service then holds its answer). */
  unanswered?: number;
}

/** How the listeners take part: they only listen, or they are the service's own buses, which answer. */
type Mode = "notify" | "none" | "answers";

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
      const runs: { name: string; mode: Mode; run: Run }[] = [];
      for (const mode of ["notify", "none"] as const) {
        psql(`ALTER TABLE revocation_log ${mode === "notify" ? "ENABLE" : "DISABLE"} TRIGGER revocation_log_notify`, database.url);
        for (const rate of PACED_RATES) runs.push({ name: `${fmt(rate)} endings/s`, mode, run: await endAt(pool, listeners, next, rate, mode) });
        runs.push({ name: "as many as it takes", mode, run: await endAt(pool, listeners, next, undefined, mode) });
      }
      // The service's own buses in place of the bare listeners: each ending then waits, as its
      // answer does, until the other listening instances have said they read it.
      psql(`ALTER TABLE revocation_log ENABLE TRIGGER revocation_log_notify`, database.url);
      for (const listener of listeners) await listener.client.end();
      listeners.length = 0;
      for (const fleet of ANSWERING_FLEETS) {
        const buses = await Promise.all(Array.from({ length: fleet }, () => PostgresSessionEventBus.connect(database.url, silentLogger)));
        try {
          runs.push({ name: `${fmt(PACED_RATES[0])} endings/s, ${fleet} instances`, mode: "answers", run: await endAt(pool, [], next, PACED_RATES[0], "answers", buses) });
          runs.push({ name: `as many as it takes, ${fleet} instances`, mode: "answers", run: await endAt(pool, [], next, undefined, "answers", buses) });
        } finally {
          for (const bus of buses) await bus.close();
        }
      }
      const trigger = { notify: "NOTIFY", none: "none", answers: "NOTIFY, instances answer" } as const;
      const row = (r: { name: string; mode: Mode; run: Run }) =>
        `| ${r.name} | ${trigger[r.mode]} | ${fmt(r.run.perSecond)} | ${fmt(r.run.postgresCpuMicros)} µs | ${r.run.commitP50.toFixed(1)} / ${r.run.commitP99.toFixed(1)} ms | ${r.run.heardP50 !== undefined ? `${r.run.heardP50.toFixed(1)} / ${r.run.heardP99!.toFixed(1)} ms` : "—"} | ${r.run.answeredP50 !== undefined ? `${r.run.answeredP50.toFixed(1)} / ${r.run.answeredP99!.toFixed(1)} ms (${fmt(r.run.unanswered!)} late)` : "—"} | ${r.run.missed ?? "—"} |`;
      const at = (name: string, mode: Mode) => runs.find((r) => r.name === name && r.mode === mode)!.run;
      const modelRate = `${fmt(PACED_RATES[0])} endings/s`;
      const extraCpu = at(modelRate, "notify").postgresCpuMicros - at(modelRate, "none").postgresCpuMicros;
      const answersCpu = (fleet: number) => at(`${modelRate}, ${fleet} instances`, "answers").postgresCpuMicros - at(modelRate, "notify").postgresCpuMicros;
      const ceiling = at("as many as it takes", "notify").perSecond;
      const markdown = [
        `One PostgreSQL, ${LISTENERS} connections listening on \`${CHANNEL}\` (the capacity model's 14 instances), ${CLIENTS} clients each ending one session per statement as the service does, for ${LOAD_SECONDS} s a case; with the revocation log's NOTIFY trigger enabled, then disabled; then with the service's own bus (\`PostgresSessionEventBus\`, ${ANSWERING_FLEETS.join(" or ")} of them in the bench's process, whose CPU the clients share) in place of the bare listeners, each ending waiting after its commit, as the service's answer does, until the other instances have said they read it (their questions and answers are notifying commits too). PostgreSQL CPU is every backend's, per ending.`,
        "",
        "| endings | trigger | endings/s | PostgreSQL CPU per ending | commit p50 / p99 | sent → heard by a listener p50 / p99 | sent → every instance answered p50 / p99 | missed per listener |",
        "|---|---|---|---|---|---|---|---|",
        ...runs.map(row),
        "",
        `- NOTIFY adds **${fmt(extraCpu)} µs** of PostgreSQL CPU per ending at ${modelRate} with ${LISTENERS} listeners (${fmt((extraCpu * PACED_RATES[0]) / 1e6, 2)} cores at that rate).`,
        `- the most endings a second with NOTIFY: **${fmt(ceiling)}/s** (${(ceiling / at("as many as it takes", "none").perSecond).toFixed(2)}× without it): PostgreSQL serialises the commits of transactions that notify.`,
        ...ANSWERING_FLEETS.map((fleet) => {
          const most = at(`as many as it takes, ${fleet} instances`, "answers").perSecond;
          return `- waiting for every instance's answer, ${fleet} instances: **${fmt(answersCpu(fleet))} µs** more PostgreSQL CPU per ending at ${modelRate} than NOTIFY alone with ${LISTENERS} listeners; the most endings a second **${fmt(most)}/s** (${(most / ceiling).toFixed(2)}× NOTIFY alone; ${CLIENTS} clients, each waiting for its answer before its next ending).`;
        }),
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
async function endAt(pool: Pool, listeners: Listener[], next: () => string, rate: number | undefined, mode: Mode, buses: PostgresSessionEventBus[] = []): Promise<Run> {
  for (const listener of listeners) listener.heard.clear();
  const sent = new Map<string, number>();
  const commits: number[] = [];
  const answered: number[] = [];
  let unanswered = 0;
  const started = performance.now();
  const until = started + LOAD_SECONDS * 1000;
  const cpuBefore = cpuSecondsOf(["postgres"]);
  let issued = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
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
        if (mode === "answers") {
          // The trigger sent the news at the commit: publishing waits for the others' answers.
          if (!(await buses[client % buses.length].publish())) unanswered++;
          answered.push(performance.now() - at);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const postgresCpuMicros = ((cpuSecondsOf(["postgres"]) - cpuBefore) * 1e6) / commits.length;
  // Notifications still in flight arrive within moments.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const result: Run = { endings: commits.length, perSecond: commits.length / elapsed, postgresCpuMicros, commitP50: median(commits), commitP99: percentile(commits, 99) };
  if (mode === "answers") return { ...result, answeredP50: median(answered), answeredP99: percentile(answered, 99), unanswered };
  if (mode === "none") return result;
  const heard = [...sent].map(([id, at]) => (listeners[0].heard.get(id) ?? Infinity) - at).filter(Number.isFinite);
  return { ...result, heardP50: median(heard), heardP99: percentile(heard, 99), missed: Math.max(...listeners.map((l) => sent.size - l.heard.size)) };
}

if (require.main === module) runAlone(run);
