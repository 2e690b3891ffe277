import { performance } from "node:perf_hooks";
import { benchDatabase, fmt, runAlone, startService, stopService, type Section } from "./harness";
import { ME, TERMINATE, gql, userWithSessions } from "./graphql";
import { openWatchers, untilSubscribed } from "./socket-swarm";
import { median, percentile } from "./stats";

const ENDINGS = Number(process.env.ACROSS_ENDINGS ?? 1000);
const METRICS_TOKEN = "bench-metrics-token-0123456789";

/** When B first refuses the token (performance clock), asking again until it does. */
async function refusedOnB(graphqlUrl: string, token: string): Promise<number> {
  for (;;) {
    const response = await fetch(graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ME }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    if (body.errors?.[0]?.extensions?.code === "UNAUTHENTICATED") return performance.now();
  }
}

const line = (values: number[]) => `p50 ${median(values).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms, max ${Math.max(...values).toFixed(2)} ms`;

/**
 * Two instances and Redis: a session ended on A, from A's response until B refuses its token
 * and until B's subscriber has the event, over ENDINGS endings one after another.
 */
export async function run(): Promise<Section> {
  const database = await benchDatabase("across");
  const a = await startService(database.url, { METRICS_TOKEN });
  const b = await startService(database.url, { METRICS_TOKEN }).catch(async (error) => {
    await stopService(a);
    throw error;
  });
  try {
    const [keeper, ...sessions] = await userWithSessions(`${a.url}/graphql`, ENDINGS + 1);
    const watchers = await openWatchers(`${b.url}/graphql`.replace(/^http/, "ws"), sessions, 1);
    await untilSubscribed(b.url, METRICS_TOKEN, watchers.length);
    const untilRefused: number[] = [];
    const untilEvent: number[] = [];
    for (let i = 0; i < sessions.length; i++) {
      await gql(`${a.url}/graphql`, TERMINATE, { id: sessions[i].sessionId }, keeper.accessToken);
      const respondedAt = performance.now();
      untilRefused.push((await refusedOnB(`${b.url}/graphql`, sessions[i].accessToken)) - respondedAt);
      await watchers[i].closed;
      untilEvent.push(watchers[i].eventAt! - respondedAt);
    }
    const markdown = [
      `Two service processes (A and B) on one PostgreSQL and Redis, \`NODE_ENV=production\`. ${fmt(ENDINGS)} sessions, each with a \`sessionRevoked\` subscriber on B, ended one after another by \`terminateSession\` on A. Measured from A's HTTP response reaching the bench.`,
      "",
      "| | latency |",
      "|---|---|",
      `| until B refuses the token (B is asked again until it does; includes one HTTP round trip to B) | ${line(untilRefused)} |`,
      `| until B's subscriber has the event (negative: before A's response) | ${line(untilEvent)} |`,
      "",
      `- target p99 < 20 ms: refusal ${percentile(untilRefused, 99).toFixed(2)} ms, event ${percentile(untilEvent, 99).toFixed(2)} ms over ${fmt(untilRefused.length)} endings`,
    ].join("\n");
    return { title: "Across instances", markdown };
  } finally {
    await stopService(a);
    await stopService(b);
    database.drop();
  }
}

if (require.main === module) runAlone(run);
