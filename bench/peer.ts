import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { answerOf, BENCH_SOURCE_DIR, benchDatabase, interleavedPasses, load, pairedRatio, PASS_SECONDS, PASSES, passesCells, ratioText, runAlone, spawnScript, startService, stopService, type LoadCase, type LoadResult, type Section } from "./harness";
import { ME, MY_SESSIONS, PASSWORD, TERMINATE, gql, userWithSessions } from "./graphql";

const PEER_DIR = path.join(BENCH_SOURCE_DIR, "peers", "better-auth");
const SESSIONS = 20;
// How long the bench watches a revoked Better Auth session with the cookie cache (its cache lasts 300 s).
const REVOKE_WATCH_SECONDS = Number(process.env.REVOKE_WATCH_SECONDS ?? 10);

interface Peer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Installs the peer's own dependencies (its lock file pins them) unless they are there. */
function installPeer(): void {
  if (fs.existsSync(path.join(PEER_DIR, "node_modules", "better-auth"))) return;
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--silent"], { cwd: PEER_DIR, stdio: "inherit" });
}

async function startPeer(databaseUrl: string, cookieCache: boolean): Promise<Peer> {
  const peer = await spawnScript(path.join(PEER_DIR, "server.mjs"), { NODE_ENV: "production", DATABASE_URL: databaseUrl, COOKIE_CACHE: cookieCache ? "1" : "0" });
  return { url: `http://127.0.0.1:${peer.port}`, pid: peer.child.pid!, stop: peer.stop };
}

/** A Better Auth user with `count` sessions; the cookies of each, in order. */
async function peerUserWithSessions(peer: Peer, count: number): Promise<string[]> {
  const email = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const post = (route: string, body: unknown) =>
    fetch(`${peer.url}/api/auth/${route}`, { method: "POST", headers: { "content-type": "application/json", origin: peer.url }, body: JSON.stringify(body) });
  const cookies: string[] = [];
  const first = await post("sign-up/email", { email, password: PASSWORD, name: "Bench" });
  cookies.push(cookieOf(first));
  while (cookies.length < count) cookies.push(cookieOf(await post("sign-in/email", { email, password: PASSWORD })));
  return cookies;
}

/** The cookies a response sets, as a Cookie header. */
function cookieOf(response: Response): string {
  if (response.status !== 200) throw new Error(`Better Auth answered ${response.status}`);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** Seconds from revoking a session (from another one) until its cookie is refused, or null if not within the watch. */
async function peerRevocationDelay(peer: Peer, victim: string, revoker: string, watchSeconds: number): Promise<number | null> {
  const token = decodeURIComponent(/better-auth\.session_token=([^.;]+)/.exec(victim)![1]);
  const revoked = await fetch(`${peer.url}/api/auth/revoke-session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: peer.url, cookie: revoker },
    body: JSON.stringify({ token }),
  });
  if (revoked.status !== 200) throw new Error(`revoke-session answered ${revoked.status}`);
  const since = performance.now();
  while (performance.now() - since < watchSeconds * 1000) {
    const text = await (await fetch(`${peer.url}/api/auth/get-session`, { headers: { cookie: victim } })).text();
    if (text === "null") return (performance.now() - since) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

const cell = (passes: LoadResult[]) => `${passesCells(passes)} | ${passes.reduce((n, p) => n + p.failures, 0)}`;

/**
 * Better Auth beside this service, on the same PostgreSQL, in interleaved passes: who is this
 * (`get-session` vs `me`), the session list (`list-sessions` vs `mySessions`, 20 sessions), with
 * Better Auth's defaults and with its cookie cache; and how long a revoked session still works.
 */
export async function run(): Promise<Section> {
  installPeer();
  const database = await benchDatabase("peer");
  const plain = await startPeer(database.url, false);
  const cached = await startPeer(database.url, true);
  const service = await startService(database.url);
  try {
    const graphqlUrl = `${service.url}/graphql`;
    const [ours] = await userWithSessions(graphqlUrl, SESSIONS);
    const auth = { authorization: `Bearer ${ours.accessToken}` };
    const [plainCookie] = await peerUserWithSessions(plain, SESSIONS);
    const [cachedCookie] = await peerUserWithSessions(cached, SESSIONS);
    const peerGet = (peer: Peer, cookie: string, route: string): LoadCase => async (seconds) =>
      load({ url: `${peer.url}/api/auth/${route}`, pid: peer.pid, method: "GET", headers: { cookie }, expectBody: await answerOf(`${peer.url}/api/auth/${route}`, undefined, { cookie }), seconds });
    const cases: [string, LoadCase][] = [
      ["this service, `me { id email role }`", async (seconds) => load({ url: graphqlUrl, pid: service.child.pid!, body: { query: ME }, headers: auth, expectBody: await answerOf(graphqlUrl, { query: ME }, auth), seconds })],
      ["Better Auth `get-session` (default)", peerGet(plain, plainCookie, "get-session")],
      ["Better Auth `get-session` (cookie cache)", peerGet(cached, cachedCookie, "get-session")],
      ["this service, `mySessions` (20 sessions)", async (seconds) => load({ url: graphqlUrl, pid: service.child.pid!, body: { query: MY_SESSIONS }, headers: auth, seconds })],
      ["Better Auth `list-sessions`, 20 sessions (default)", async (seconds) => load({ url: `${plain.url}/api/auth/list-sessions`, pid: plain.pid, method: "GET", headers: { cookie: plainCookie }, seconds })],
      ["Better Auth `list-sessions`, 20 sessions (cookie cache)", async (seconds) => load({ url: `${cached.url}/api/auth/list-sessions`, pid: cached.pid, method: "GET", headers: { cookie: cachedCookie }, seconds })],
    ];
    const results = await interleavedPasses(cases);
    const [me, getPlain, getCached, mine, listPlain, listCached] = cases.map(([name]) => results.get(name)!);

    // Revocation: ours is refused on the very next request; Better Auth's cookie cache keeps it alive.
    const [victim, revoker] = await peerUserWithSessions(cached, 2);
    const cachedDelay = await peerRevocationDelay(cached, victim, revoker, REVOKE_WATCH_SECONDS);
    const [plainVictim, plainRevoker] = await peerUserWithSessions(plain, 2);
    const plainDelay = await peerRevocationDelay(plain, plainVictim, plainRevoker, REVOKE_WATCH_SECONDS);
    const [keeper, ended] = await userWithSessions(graphqlUrl, 2);
    await gql(graphqlUrl, TERMINATE, { id: ended.sessionId }, keeper.accessToken);
    const ourNext = await fetch(graphqlUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ended.accessToken}` }, body: JSON.stringify({ query: ME }) });
    const ourRefused = ((await ourNext.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code === "UNAUTHENTICATED";
    const delay = (seconds: number | null) => (seconds === null ? `still accepted after ${REVOKE_WATCH_SECONDS} s (the cache keeps it up to 300 s)` : `${(seconds * 1000).toFixed(0)} ms (first check after the revoke)`);

    const markdown = [
      `Better Auth ${peerVersion()} (\`bench/peers/better-auth\`: \`toNodeHandler\`, pg, email and password, rate limiting off) and this service on the same PostgreSQL, \`NODE_ENV=production\`, autocannon 50 connections, ${PASSES} interleaved passes of ${PASS_SECONDS} s for each case after an unmeasured 3 s of each. Each ratio is the median of its ${PASSES} passes' ratios.`,
      "",
      "| case | req/s, median (lowest–highest pass) | server CPU µs/req | failures |",
      "|---|---|---|---|",
      ...cases.map(([name]) => `| ${name} | ${cell(results.get(name)!)} |`),
      "",
      `- \`me\` / \`get-session\`: ${ratioText(pairedRatio(me, getPlain))} default, ${ratioText(pairedRatio(me, getCached))} with the cookie cache (target ≥ 8×)`,
      `- \`mySessions\` / \`list-sessions\`: ${ratioText(pairedRatio(mine, listPlain))} default, ${ratioText(pairedRatio(mine, listCached))} with the cookie cache (target ≥ 5×)`,
      `- a revoked session: this service refuses its token on the very next request (${ourRefused ? "refused" : "NOT refused"}); Better Auth default: ${delay(plainDelay)}; Better Auth with the cookie cache: ${delay(cachedDelay)}`,
    ].join("\n");
    return { title: "Peer: Better Auth", markdown };
  } finally {
    await stopService(service);
    await plain.stop();
    await cached.stop();
    database.drop();
  }
}

function peerVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PEER_DIR, "node_modules", "better-auth", "package.json"), "utf8")) as { version: string }).version;
}

if (require.main === module) runAlone(run);
