import { Writable } from "node:stream";
import { createLogger, type LogFormat } from "../../src/logging/logger";

function capture(format: LogFormat): { lines: () => string[]; log: ReturnType<typeof createLogger> } {
  let text = "";
  const sink = new Writable({ write: (chunk, _encoding, done) => ((text += chunk.toString()), done()) });
  return { log: createLogger({ level: "info", format }, sink), lines: () => text.split("\n").filter(Boolean) };
}

// A value a client controls (an email may legally carry a newline or an escape between quotes)
// must not be able to start a line of its own or drive the operator's terminal.
const FORGED = '"x\n{"level":"info","msg":"admin logged in"}\u001b[2J"@evil.example';

describe("logs", () => {
  test.each(["json", "pretty"] as LogFormat[])("%s: one entry is one line, whatever a logged value contains", (format) => {
    const { log, lines } = capture(format);
    log.info({ email: FORGED }, "failed password check");
    log.info({ email: "ada@example.com" }, "failed password check");
    expect(lines()).toHaveLength(2);
    expect(lines().join("\n")).not.toContain("\u001b[2J");
  });

  test("json lines carry time, level, message and the fields", () => {
    const { log, lines } = capture("json");
    log.child({ requestId: "r-1" }).warn({ sessionId: "s-1", userId: "u-1" }, "session ended");
    const entry = JSON.parse(lines()[0]);
    expect(entry).toMatchObject({ level: "warn", msg: "session ended", requestId: "r-1", sessionId: "s-1", userId: "u-1" });
    expect(new Date(entry.time).getTime()).toBeGreaterThan(0);
  });
});
