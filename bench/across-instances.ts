import { performance } from "node:perf_hooks";
import { benchDatabase, fmt, runAlone, startService, stopService, type Section } from "./harness";
import { ME, TERMINATE, gql, userWithSessions } from "./graphql";
import { openWatchers, untilSubscribed } from "./socket-swarm";
import { median, percentile } from "./stats";

const ENDINGS = Number(process.env.ACROSS_ENDINGS ?? 1000);
const METRICS_TOKEN = "bench-metrics-token-0123456789";

/** When B first refuses the token (performance clock), asking again until it does, and how many asks it took. */
async function refusedOnB(graphqlUrl: string, token: string): Promise<{ at: number; asks: number }> {
  for (let asks = 1; ; asks++) {
    const response = await fetch(graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ME }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    if (body.errors?.[0]?.extensions?.code === "UNAUTHENTICATED") return { at: performance.now(), asks };
  }
}

const line = (values: number[]) => `p50 ${median(values).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms, max ${Math.max(...values).toFixed(2)} ms`;

interface Across {
  answered: number[];
  untilRefused: number[];
  untilEvent: number[];
  /** Endings whose token B still accepted at the first ask after A's answer: each one a broken promise. */
  acceptedAfter: number;
}

/**
 * Two instances on one bus: a session ended on A, from A's response until B refuses its token
 * and until B's subscriber has the event, over ENDINGS endings one after another.
 */
async function across(redis: boolean): Promise<Across> {
  const database = await benchDatabase(redis ? "across" : "across_pg");
  const a = await startService(database.url, { METRICS_TOKEN }, { redis });
  const b = await startService(database.url, { METRICS_TOKEN }, { redis }).catch(async (error) => {
    await stopService(a);
    throw error;
  });
  try {
    const [keeper, ...sessions] = await userWithSessions(`${a.url}/graphql`, ENDINGS + 1);
    const watchers = await openWatchers(`${b.url}/graphql`.replace(/^http/, "ws"), sessions, 1);
    await untilSubscribed(b.url, METRICS_TOKEN, watchers.length);
    const result: Across = { answered: [], untilRefused: [], untilEvent: [], acceptedAfter: 0 };
    for (let i = 0; i < sessions.length; i++) {
      const sentAt = performance.now();
      await gql(`${a.url}/graphql`, TERMINATE, { id: sessions[i].sessionId }, keeper.accessToken);
      const respondedAt = performance.now();
      result.answered.push(respondedAt - sentAt);
      const refused = await refusedOnB(`${b.url}/graphql`, sessions[i].accessToken);
      result.untilRefused.push(refused.at - respondedAt);
      if (refused.asks > 1) result.acceptedAfter++;
      await watchers[i].closed;
      result.untilEvent.push(watchers[i].eventAt! - respondedAt);
    }
    return result;
  } finally {
    await stopService(a);
    await stopService(b);
    database.drop();
  }
}

export async function run(): Promise<Section> {
  const cases: [string, Across][] = [
    ["Redis", await across(true)],
    ["PostgreSQL alone (LISTEN/NOTIFY)", await across(false)],
  ];
  const markdown = [
    `Two service processes (A and B) on one PostgreSQL, with Redis and without it, \`NODE_ENV=production\`. ${fmt(ENDINGS)} sessions, each with a \`sessionRevoked\` subscriber on B, ended one after another by \`terminateSession\` on A. Measured from A's HTTP response reaching the bench; B is asked again until it refuses the token (each ask one HTTP round trip to B).`,
    "",
    "| bus | A's answer | until B refuses the token | until B's subscriber has the event (negative: before A's response) | B accepted the token after A's answer |",
    "|---|---|---|---|---|",
    ...cases.map(([name, c]) => `| ${name} | ${line(c.answered)} | ${line(c.untilRefused)} | ${line(c.untilEvent)} | ${fmt(c.acceptedAfter)} of ${fmt(c.untilRefused.length)} |`),
    "",
    ...cases.map(([name, c]) => `- ${name}: target p99 < 20 ms: refusal ${percentile(c.untilRefused, 99).toFixed(2)} ms, event ${percentile(c.untilEvent, 99).toFixed(2)} ms; refused at the first ask after A's answer: ${fmt(c.untilRefused.length - c.acceptedAfter)} of ${fmt(c.untilRefused.length)} (must be all)`),
  ].join("\n");
  return { title: "Across instances", markdown };
}

if (require.main === module) runAlone(run);
