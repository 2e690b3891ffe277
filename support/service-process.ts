import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// The repository, whether this runs from support/ (jest) or compiled in dist/support/ (benches).
const HERE = path.resolve(__dirname, "..");
export const ROOT = path.basename(HERE) === "dist" ? path.dirname(HERE) : HERE;
export const SERVICE_ENTRY = path.join(ROOT, "dist", "src", "index.js");
export const CREATE_USER_ENTRY = path.join(ROOT, "dist", "scripts", "create-user.js");

// What `npm run build` compiles into dist/ and the processes under test run.
const SOURCE_FOLDERS = ["src", "scripts", "migrations"];

function sourcesIn(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => path.join(folder, file));
}

/**
 * The sources the last build compiled, by content hash, from tsc's incremental build record.
 * The build is incremental: a source touched but not changed (an editor's save, a checkout)
 * is not compiled again, so its .js stays older than it however often one builds.
 */
function builtVersions(): Map<string, string> {
  const versions = new Map<string, string>();
  let info: { fileNames?: string[]; fileInfos?: (string | { version?: string })[]; affectedFilesPendingEmit?: unknown };
  try {
    info = JSON.parse(fs.readFileSync(path.join(ROOT, "dist", ".tsbuildinfo"), "utf8"));
  } catch {
    return versions;
  }
  // Something left to emit: trust only the timestamps.
  if (info.affectedFilesPendingEmit !== undefined) return versions;
  (info.fileNames ?? []).forEach((name, index) => {
    const fileInfo = info.fileInfos?.[index];
    const version = typeof fileInfo === "string" ? fileInfo : fileInfo?.version;
    if (version) versions.set(path.resolve(ROOT, "dist", name), version);
  });
  return versions;
}

function compiledAsIs(source: string, versions: Map<string, string>): boolean {
  // tsc's version of a source is the SHA-256 of its text.
  return versions.get(source) === createHash("sha256").update(fs.readFileSync(source, "utf8")).digest("hex");
}

/**
 * These tests run dist/, not the sources: a source newer than its build (or never built)
 * would have them pass or fail on old code. Every .ts must have its .js, not older than
 * itself, unless the build compiled exactly its current text.
 */
export function requireBuild(): void {
  const stale: string[] = [];
  let versions: Map<string, string> | undefined;
  for (const source of SOURCE_FOLDERS.flatMap((folder) => sourcesIn(path.join(ROOT, folder)))) {
    const relative = path.relative(ROOT, source);
    const built = fs.statSync(path.join(ROOT, "dist", relative.replace(/\.ts$/, ".js")), { throwIfNoEntry: false });
    if (!built) stale.push(`${relative} (not built)`);
    else if (built.mtimeMs < fs.statSync(source).mtimeMs && !compiledAsIs(source, (versions ??= builtVersions()))) {
      stale.push(`${relative} (changed since the build)`);
    }
  }
  if (stale.length > 0) {
    const shown = stale.slice(0, 5).join(", ") + (stale.length > 5 ? `, and ${stale.length - 5} more` : "");
    throw new Error(`dist/ is older than the sources: run \`npm run build\` (npm test does it first); stale: ${shown}`);
  }
}

/** The fields of the service's "listening" log line. */
export interface Listening {
  graphql: string;
  websocket: string;
  ide: string;
  database: string;
}

interface Collected {
  stdout(): string;
  stderr(): string;
  /** Both streams, in the order their chunks arrived. */
  output(): string;
}

function collect(child: ChildProcess): Collected {
  let stdout = "";
  let stderr = "";
  let both = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
    both += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
    both += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr, output: () => both };
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
}

/** The log records among the lines of `text` (pino JSON lines); anything else is skipped. */
export function logRecords(text: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // A line cut by the end of the output so far, or not a log record.
    }
  }
  return records;
}

/**
 * Resolves with the "listening" log line, the service's last start-up line, once `child` prints
 * it; rejects if the child exits first or takes longer than `timeoutMs`.
 */
function waitForListening(child: ChildProcess, collected: Collected, exited: Promise<number | string>, timeoutMs = 30_000): Promise<Listening> {
  return new Promise<Listening>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`service did not start within ${timeoutMs} ms:\n${collected.output()}`)), timeoutMs);
    const check = () => {
      // Only complete lines: the last one may still be arriving.
      const complete = collected.stdout().slice(0, collected.stdout().lastIndexOf("\n") + 1);
      const line = logRecords(complete).find((record) => record.msg === "listening");
      if (line) finish(undefined, line as unknown as Listening);
    };
    const finish = (error?: Error, listening?: Listening) => {
      clearTimeout(timer);
      child.stdout?.off("data", check);
      if (error) reject(error);
      else resolve(listening!);
    };
    child.stdout?.on("data", check);
    exited.then((code) => finish(new Error(`service exited with ${code}:\n${collected.output()}`)));
  });
}

export interface SpawnedProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Resolves with the "listening" line once the service logs it. */
  listening(timeoutMs?: number): Promise<Listening>;
}

function watch(child: ChildProcess): SpawnedProcess {
  const collected = collect(child);
  const exited = exitOf(child);
  return { child, output: collected.output, exited, listening: (timeoutMs) => waitForListening(child, collected, exited, timeoutMs) };
}

/** `node dist/src/index.js` as `npm start` runs it, without waiting for anything. */
export function spawnService(env: Record<string, string | undefined>): SpawnedProcess {
  requireBuild();
  return watch(spawn(process.execPath, [SERVICE_ENTRY], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] }));
}

export interface ServiceProcess extends Omit<SpawnedProcess, "listening"> {
  /** The service's base URL (http://host:port), from the "listening" line. */
  url: string;
  listening: Listening;
}

/** The service on a free loopback port; resolves once it logs "listening". */
export async function startServiceProcess(env: Record<string, string | undefined>): Promise<ServiceProcess> {
  const service = spawnService({ PORT: "0", HOST: "127.0.0.1", ...env });
  const listening = await service.listening();
  return { ...service, url: listening.graphql.replace(/\/graphql$/, ""), listening };
}

export interface Finished {
  /** The exit code, the signal name, or "timeout" when it had to be killed. */
  code: number | string;
  output: string;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion: exit code and everything it printed. Killed after `timeoutMs`. */
export async function runProcess(args: string[], env: Record<string, string | undefined>, stdin?: string, timeoutMs = 60_000): Promise<Finished> {
  requireBuild();
  const started = Date.now();
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  const collected = collect(child);
  child.stdin?.end(stdin ?? "");
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const code = await exitOf(child);
  clearTimeout(timer);
  return { code: timedOut ? "timeout" : code, output: collected.output(), stdout: collected.stdout(), stderr: collected.stderr(), ms: Date.now() - started };
}

/** Starts `npm <args>` in the repository, as an operator would. */
export function spawnNpm(args: string[], env: Record<string, string | undefined>): SpawnedProcess {
  return watch(
    spawn("npm", args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_update_notifier: "false", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a failed test can take down npm and the service under it.
      detached: true,
    }),
  );
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Whether something accepts TCP connections on the loopback port. */
export function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    // A connect that neither succeeds nor fails (a loaded machine, a full backlog) counts as no.
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}
