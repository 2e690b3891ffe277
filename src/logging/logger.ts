import pino from "pino";
import pretty from "pino-pretty";

/** One structured logger, passed everywhere; child loggers add fields (request id, session id, …). */
export type Logger = pino.Logger;

export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  level: string;
  format: LogFormat;
}

// C0 and C1 control characters, DEL included: a newline or an escape sequence inside a logged
// value (an email may legally carry one between quotes) must not start a forged line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function escapeControl(value: string): string {
  return value.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function escapeFields(fields: Record<string, unknown>): Record<string, unknown> {
  const escaped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) escaped[key] = typeof value === "string" ? escapeControl(value) : value;
  return escaped;
}

/**
 * JSON lines (time, level, msg, fields) by default: JSON.stringify already escapes control
 * characters. The pretty format prints values as they are, so there they are escaped first.
 */
export function createLogger(options: LoggerOptions, destination?: pino.DestinationStream): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (options.format === "json") return pino(base, destination ?? pino.destination({ sync: true }));
  return pino(
    {
      ...base,
      formatters: { ...base.formatters, log: escapeFields },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? escapeControl(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination ?? pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" }),
  );
}

/** For tests and tools that want no output. */
export const silentLogger: Logger = pino({ level: "silent" });
