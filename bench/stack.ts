import path from "node:path";
import { answerOf, benchDatabase, fmt, interleavedPasses, load, medianRate, pairedRatio, PASS_SECONDS, PASSES, passesCells, ratioText, runAlone, spawnScript, startService, stopService, type LoadCase, type LoadResult, type Section } from "./harness";
import { median } from "./stats";
import { ME, MY_SESSIONS, userWithSessions } from "./graphql";

const row = (name: string, passes: LoadResult[]) =>
  `| ${name} | ${passesCells(passes)} | ${fmt(median(passes.map((p) => p.backendCpuMicros)))} | ${median(passes.map((p) => p.p50Ms))} / ${median(passes.map((p) => p.p99Ms))} | ${passes.reduce((n, p) => n + p.failures, 0)} |`;

/**
 * What the stack costs before any work, and what the auth check adds: plain Apollo `{ hello }`
 * beside our `{ __typename }`, `me` and `mySessions` (20 sessions), in interleaved passes.
 */
export async function run(): Promise<Section> {
  const database = await benchDatabase("stack");
  const apollo = await spawnScript(path.join(__dirname, "plain-apollo-server.js"), { NODE_ENV: "production" });
  const service = await startService(database.url).catch(async (error) => {
    await apollo.stop();
    database.drop();
    throw error;
  });
  // The most common first deployment: one instance on PostgreSQL, no Redis (its bus is LISTEN/NOTIFY).
  const alone = await startService(database.url, {}, { redis: false }).catch(async (error) => {
    await stopService(service);
    await apollo.stop();
    database.drop();
    throw error;
  });
  try {
    const graphqlUrl = `${service.url}/graphql`;
    const aloneUrl = `${alone.url}/graphql`;
    const [owner] = await userWithSessions(graphqlUrl, 20);
    const auth = { authorization: `Bearer ${owner.accessToken}` };
    const apolloUrl = `http://127.0.0.1:${apollo.port}/`;
    const hello = { query: "{ hello }" };
    const typename = { query: "{ __typename }" };
    const cases: [string, LoadCase][] = [
      ["plain Apollo Server 5 `{ hello }` (standalone)", async (seconds) => load({ url: apolloUrl, pid: apollo.child.pid!, body: hello, expectBody: await answerOf(apolloUrl, hello), seconds })],
      ["this service, `{ __typename }`", async (seconds) => load({ url: graphqlUrl, pid: service.child.pid!, body: typename, expectBody: await answerOf(graphqlUrl, typename), seconds })],
      ["this service, `{ me { id email role } }`", async (seconds) => load({ url: graphqlUrl, pid: service.child.pid!, body: { query: ME }, headers: auth, expectBody: await answerOf(graphqlUrl, { query: ME }, auth), seconds })],
      ["this service, `mySessions` (20 sessions)", async (seconds) => load({ url: graphqlUrl, pid: service.child.pid!, body: { query: MY_SESSIONS }, headers: auth, seconds })],
      [
        "this service, `{ me { id email role } }`, **one instance on PostgreSQL without Redis**",
        async (seconds) => load({ url: aloneUrl, pid: alone.child.pid!, body: { query: ME }, headers: auth, expectBody: await answerOf(aloneUrl, { query: ME }, auth), seconds }),
      ],
    ];
    const results = await interleavedPasses(cases);
    const [apolloHello, ourTypename, ourMe, ourSessions, meAlone] = cases.map(([name]) => results.get(name)!);
    const markdown = [
      `autocannon, 50 connections, ${PASSES} interleaved passes of ${PASS_SECONDS} s for each case after an unmeasured 3 s of each, \`NODE_ENV=production\`, PostgreSQL and Redis; the last case on a second instance with no \`REDIS_URL\`. Each ratio is the median of its ${PASSES} passes' ratios, the two cases of a pass measured one after the other.`,
      "",
      "| case | req/s, median (lowest–highest pass) | server CPU µs/req | PostgreSQL+Redis CPU µs/req | latency p50 / p99 ms | failures |",
      "|---|---|---|---|---|---|",
      ...cases.map(([name]) => row(name, results.get(name)!)),
      "",
      `- **stack**: \`{ __typename }\` / plain Apollo \`{ hello }\` = ${ratioText(pairedRatio(ourTypename, apolloHello))} (must not fall below 0.90)`,
      `- **auth**: \`me { id email role }\` / \`{ __typename }\` on the same server = ${ratioText(pairedRatio(ourMe, ourTypename))} (must not fall below 0.81)`,
      `- **auth on PostgreSQL alone**: \`me\` on one instance without Redis / with Redis = ${ratioText(pairedRatio(meAlone, ourMe))} (${fmt(medianRate(meAlone))} req/s; 0.42× in the issue's measurement, when every request there asked the database)`,
      `- **lists**: \`mySessions\` (20 sessions) / \`me\` = ${ratioText(pairedRatio(ourSessions, ourMe))} (${fmt(medianRate(ourSessions))} req/s; target ≥ 0.5×)`,
    ].join("\n");
    return { title: "Stack and auth check", markdown };
  } finally {
    await stopService(alone);
    await stopService(service);
    await apollo.stop();
    database.drop();
  }
}

if (require.main === module) runAlone(run);
