import { createLogger, type Logger } from "../../src/logging/logger";

export interface LogEntry {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  /** Exactly what the service would print: its JSON lines, raw. */
  lines: string[];
  /** The same lines, parsed. */
  entries: LogEntry[];
}

/** A logger that keeps what a server would print, for tests that read its logs. */
export function captureLog(level = "info"): CapturedLog {
  const lines: string[] = [];
  const entries: LogEntry[] = [];
  const logger = createLogger({ level, format: "json" }, {
    write(line: string) {
      lines.push(line);
      entries.push(JSON.parse(line));
    },
  });
  return { logger, lines, entries };
}
