import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { startServiceProcess, type ServiceProcess } from "../support/service-process";
import { median } from "./stats";

/** One part of bench/RESULTS.md: a heading, its markdown, and the files it drew. */
export interface Section {
  title: string;
  markdown: string;
  files?: { name: string; content: string }[];
}

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
export const JWT_SECRET = "bench-secret-that-is-at-least-32-bytes-long!";
/** Seconds each load pass lasts (the runs used 10). */
export const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = 50;

/** A database of the bench's own on the local PostgreSQL, dropped by `drop`. */
export async function benchDatabase(label: string): Promise<{ url: string; name: string; drop(): void }> {
  const name = `session_bench_${label}_${Date.now()}`;
  psql(`CREATE DATABASE ${name}`);
  const url = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return { url, name, drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export function psql(sql: string, url = POSTGRES_ADMIN_URL): string {
  return execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** The service as `npm start` runs it, in production mode, on the bench database (with Redis unless `redis: false`). */
export function startService(databaseUrl: string, extra: Record<string, string> = {}, options: { redis?: boolean } = {}): Promise<ServiceProcess> {
  return startServiceProcess({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    ...(options.redis !== false && { REDIS_URL }),
    JWT_SECRET,
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "session-bench-")),
    SIGNUP_MAX_PER_IP: "100000000",
    LOGIN_MAX_FAILURES_PER_IP: "100000000",
    WS_MAX_CONNECTIONS_PER_IP: "100000000",
    HTTP_MAX_CONNECTIONS_PER_IP: "100000000",
    WS_MAX_HANDSHAKES_PER_IP: "100000000",
    WS_MAX_CONNECTIONS_PER_SESSION: "1000",
    ...extra,
  });
}

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every process of these names (PostgreSQL's backends, Redis). */
export function cpuSecondsOf(names: string[]): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim())) total += cpuSeconds(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** CPU seconds every core of the machine has been busy so far (all processes, the kernel included). */
export function machineCpuSeconds(): number {
  const [, ...fields] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU per answered request (µs). */
  cpuMicros: number;
  /** PostgreSQL and Redis CPU per answered request (µs), all their processes on the machine. */
  backendCpuMicros: number;
  failures: number;
}

export interface LoadTarget {
  url: string;
  pid: number;
  method?: "GET" | "POST";
  body?: unknown;
  headers?: Record<string, string>;
  /** The exact answer every request must get; any other counts as a failure. */
  expectBody?: string;
  connections?: number;
  seconds?: number;
}

/** autocannon against one server for a while, with the server's CPU measured over the same span. */
export async function load(target: LoadTarget): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(target.pid);
  const backendBefore = cpuSecondsOf(["postgres", "redis-server"]);
  const result = await autocannon({
    url: target.url,
    method: target.method ?? "POST",
    body: target.body === undefined ? undefined : JSON.stringify(target.body),
    headers: target.body === undefined ? target.headers : { "content-type": "application/json", ...target.headers },
    connections: target.connections ?? CONNECTIONS,
    duration: target.seconds ?? LOAD_SECONDS,
    expectBody: target.expectBody,
  });
  const total = result.requests.total;
  const answered = Math.max(1, total);
  return {
    requestsPerSecond: result.requests.average,
    total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicros: ((cpuSeconds(target.pid) - cpuBefore) * 1e6) / answered,
    // A backend that exited meanwhile takes its CPU time with it: never below zero.
    backendCpuMicros: Math.max(0, ((cpuSecondsOf(["postgres", "redis-server"]) - backendBefore) * 1e6) / answered),
    failures: result.errors + result.timeouts + result.non2xx + (result.mismatches ?? 0),
  };
}

/** One case of a side-by-side comparison: a load of `seconds` (LOAD_SECONDS when not given). */
export type LoadCase = (seconds?: number) => Promise<LoadResult>;

const WARM_UP_SECONDS = 3;
/** Passes of a side-by-side comparison, and how long each case lasts in one. */
export const PASSES = Number(process.env.BENCH_PASSES ?? 7);
export const PASS_SECONDS = Number(process.env.BENCH_PASS_SECONDS ?? 5);

/**
 * Each case's results over `passes` interleaved passes, after one short pass of each that is not
 * counted: a server's first seconds under load pay for its JIT and its heap growing, and only
 * the first case on each server would pay for them.
 */
export async function interleavedPasses(cases: [string, LoadCase][], passes = PASSES, seconds = PASS_SECONDS): Promise<Map<string, LoadResult[]>> {
  for (const [, runCase] of cases) await runCase(WARM_UP_SECONDS);
  const results = new Map<string, LoadResult[]>(cases.map(([name]) => [name, []]));
  // Interleaved, so a drift of the machine (heat, a neighbour) falls on every case alike.
  for (let pass = 0; pass < passes; pass++) for (const [name, runCase] of cases) results.get(name)!.push(await runCase(seconds));
  return results;
}

export interface PairedRatio {
  median: number;
  low: number;
  high: number;
}

/**
 * The req/s of `over` divided by that of `under`, pass by pass (the two measured seconds apart),
 * and the median of those ratios: on a shared machine whose speed drifts by ±15% within minutes,
 * a slow stretch then moves one pass's ratio, not the figure, as it would a ratio of averages.
 */
export function pairedRatio(over: LoadResult[], under: LoadResult[]): PairedRatio {
  const ratios = over.map((result, pass) => result.requestsPerSecond / under[pass].requestsPerSecond);
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

export const ratioText = (ratio: PairedRatio) => `**${ratio.median.toFixed(2)}×** (passes ${ratio.low.toFixed(2)}–${ratio.high.toFixed(2)})`;

/** A case's passes in a table cell: median req/s with the lowest and highest, and median server CPU per request. */
export function passesCells(passes: LoadResult[]): string {
  const rates = passes.map((p) => p.requestsPerSecond);
  return `${fmt(median(rates))} (${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}) | ${fmt(median(passes.map((p) => p.cpuMicros)))}`;
}

/** The median req/s of a case's passes. */
export const medianRate = (passes: LoadResult[]) => median(passes.map((p) => p.requestsPerSecond));

/** The answer to one request (a POST of `body`, or a GET without one), to pin every loaded request to it. */
export async function answerOf(url: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const init = body === undefined ? { method: "GET", headers } : { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"') || text === "null") throw new Error(`bench request failed: ${response.status} ${text}`);
  return text;
}

/** The machine and versions, for the head of RESULTS.md. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const pg = psql("SHOW server_version").trim();
  let redis = "unknown";
  try {
    redis = /redis_version:(\S+)/.exec(execFileSync("redis-cli", ["-u", REDIS_URL, "INFO", "server"], { encoding: "utf8" }))?.[1] ?? redis;
  } catch {
    // reported as unknown
  }
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; PostgreSQL ${pg}; Redis ${redis}`;
}

/** A child Node process running a script, resolved once it prints `ready <port>`. */
export function spawnScript(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`${path.basename(script)} exited with ${code}`)));
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const match = /ready (\d+)/.exec(out);
      if (match) {
        child.removeAllListeners("exit");
        resolve({
          child,
          port: Number(match[1]),
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
  });
}

export async function stopService(service: ServiceProcess): Promise<void> {
  service.child.kill("SIGTERM");
  await service.exited;
}

export const fmt = (value: number, digits = 0) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Runs one bench alone: prints its markdown and writes its files beside RESULTS.md. */
export function runAlone(run: () => Promise<Section>): void {
  run()
    .then((section) => {
      console.log(`## ${section.title}\n\n${section.markdown}`);
      for (const file of section.files ?? []) fs.writeFileSync(path.join(BENCH_SOURCE_DIR, file.name), file.content);
      process.exit(0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

/** bench/ in the repository (the compiled scripts run from dist/bench). */
export const BENCH_SOURCE_DIR = path.resolve(__dirname, "..", "..", "bench");
