import fs from "node:fs";
import path from "node:path";
import { logRecords, type Finished } from "../../support/service-process";

/**
 * An operator's mistake, as the service must report it: exit code 1 and one line,
 * `cannot start: …`, that names the problem; no stack, neither as text nor in a log record.
 */
export function expectStartRefused(result: Finished, problem: RegExp): void {
  const lines = `${result.stderr}\n${result.stdout}`.split("\n");
  const refusals = lines.filter((line) => line.startsWith("cannot start:"));
  const stackLines = lines.filter((line) => /^\s+at /.test(line));
  const loggedStacks = logRecords(result.stdout).filter((record) => typeof (record.err as { stack?: unknown } | undefined)?.stack === "string");
  // All of it in one message, so a failure shows what the process printed.
  expect({ code: result.code, refusals, stackLines, loggedStacks }).toEqual({
    code: 1,
    refusals: [expect.stringMatching(problem)],
    stackLines: [],
    loggedStacks: [],
  });
}

/** What the embedded database leaves in a data folder: its files, and a lock while it runs. */
export function embeddedDatabaseFiles(dataDir: string): string[] {
  return fs.readdirSync(dataDir).filter((name) => name === "pglite" || name === "pglite.lock");
}

export function lockLeftIn(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, "pglite.lock"));
}
