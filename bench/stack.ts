import path from "node:path";
import { answerOf, benchDatabase, fmt, load, runAlone, spawnScript, startService, stopService, type LoadResult, type Section } from "./harness";
import { ME, MY_SESSIONS, userWithSessions } from "./graphql";

interface Case {
  name: string;
  run(): Promise<LoadResult>;
}

const row = (name: string, passes: LoadResult[]) =>
  `| ${name} | ${passes.map((p) => fmt(p.requestsPerSecond)).join(" / ")} | ${passes.map((p) => fmt(p.cpuMicros)).join(" / ")} | ${passes.map((p) => fmt(p.backendCpuMicros)).join(" / ")} | ${passes.map((p) => `${p.p50Ms} / ${p.p99Ms}`).join(", ")} | ${passes.reduce((n, p) => n + p.failures, 0)} |`;

const mean = (passes: LoadResult[]) => passes.reduce((sum, p) => sum + p.requestsPerSecond, 0) / passes.length;

/**
 * What the stack costs before any work, and what the auth check adds: plain Apollo `{ hello }`
 * beside our `{ __typename }`, `me` and `mySessions` (20 sessions), two interleaved passes.
 */
export async function run(): Promise<Section> {
  const database = await benchDatabase("stack");
  const apollo = await spawnScript(path.join(__dirname, "plain-apollo-server.js"), { NODE_ENV: "production" });
  const service = await startService(database.url).catch(async (error) => {
    await apollo.stop();
    database.drop();
    throw error;
  });
  try {
    const graphqlUrl = `${service.url}/graphql`;
    const [owner] = await userWithSessions(graphqlUrl, 20);
    const auth = { authorization: `Bearer ${owner.accessToken}` };
    const apolloUrl = `http://127.0.0.1:${apollo.port}/`;
    const hello = { query: "{ hello }" };
    const typename = { query: "{ __typename }" };
    const cases: Case[] = [
      { name: "plain Apollo Server 5 `{ hello }` (standalone)", run: async () => load({ url: apolloUrl, pid: apollo.child.pid!, body: hello, expectBody: await answerOf(apolloUrl, hello) }) },
      { name: "this service, `{ __typename }`", run: async () => load({ url: graphqlUrl, pid: service.child.pid!, body: typename, expectBody: await answerOf(graphqlUrl, typename) }) },
      { name: "this service, `{ me { id email role } }`", run: async () => load({ url: graphqlUrl, pid: service.child.pid!, body: { query: ME }, headers: auth, expectBody: await answerOf(graphqlUrl, { query: ME }, auth) }) },
      { name: "this service, `mySessions` (20 sessions)", run: async () => load({ url: graphqlUrl, pid: service.child.pid!, body: { query: MY_SESSIONS }, headers: auth }) },
    ];
    const results = new Map<string, LoadResult[]>(cases.map((c) => [c.name, []]));
    // Interleaved, so a drift of the machine (heat, a neighbour) falls on every case alike.
    for (let pass = 0; pass < 2; pass++) for (const c of cases) results.get(c.name)!.push(await c.run());
    const [apolloHello, ourTypename, ourMe, ourSessions] = cases.map((c) => mean(results.get(c.name)!));
    const stackRatio = ourTypename / apolloHello;
    const authRatio = ourMe / ourTypename;
    const markdown = [
      `autocannon, 50 connections, two interleaved passes of ${process.env.BENCH_SECONDS ?? 10} s each, \`NODE_ENV=production\`, PostgreSQL and Redis.`,
      "",
      "| case | req/s (pass 1 / 2) | server CPU µs/req | PostgreSQL+Redis CPU µs/req | latency p50 / p99 ms | failures |",
      "|---|---|---|---|---|---|",
      ...cases.map((c) => row(c.name, results.get(c.name)!)),
      "",
      `- **stack**: \`{ __typename }\` / plain Apollo \`{ hello }\` = **${stackRatio.toFixed(2)}×** (target ≥ 0.9)`,
      `- **auth**: \`me { id email role }\` / \`{ __typename }\` on the same server = **${authRatio.toFixed(2)}×** (target ≥ 0.85)`,
      `- \`mySessions\` (20 sessions): ${fmt(ourSessions)} req/s`,
    ].join("\n");
    return { title: "Stack and auth check", markdown };
  } finally {
    await stopService(service);
    await apollo.stop();
    database.drop();
  }
}

if (require.main === module) runAlone(run);
