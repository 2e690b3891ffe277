import { performance } from "node:perf_hooks";
import type { PushStream } from "../support/ssf-push-stream";
import { endAtRate, sleep, until, type Ending } from "./endings-at-rate";
import type { Signed } from "./graphql";
import { fmt } from "./harness";
import { arrivalRate, ledgerOf, type Ledger } from "./set-ledger";

/** How long the bench waits after `up()` for the backlog (the back-off alone may wait 30 s). */
const DRAIN_TIMEOUT_MS = 120_000;
/** After the last SET, how long it waits for any sent twice. */
const SETTLE_MS = 3000;

export interface Outage {
  endings: Ending[];
  ledger: Ledger;
  perSecond: number;
  downSeconds: number;
  duringOutage: number;
  firstAfterUp: number;
  lastAfterUp: number;
  complete: boolean;
}

/** The stream's receiver stops listening for `downSeconds` while the sessions log out at `perSecond`; then it listens again. */
export async function outage(graphqlUrl: string, stream: PushStream, signed: Signed[], perSecond: number, downSeconds: number): Promise<Outage> {
  const sets = stream.sets;
  const before = sets.received.length;
  await sets.down();
  const downAt = performance.now();
  const endings = await endAtRate(graphqlUrl, signed, perSecond);
  await sleep(downAt + downSeconds * 1000 - performance.now());
  const duringOutage = sets.received.length - before;
  const upAt = Date.now();
  const wasDown = (performance.now() - downAt) / 1000;
  await sets.up();
  const complete = await until(() => ledgerOf(endings, sets.received).missing === 0, DRAIN_TIMEOUT_MS);
  await sleep(SETTLE_MS);
  const ledger = ledgerOf(endings, sets.received);
  const times = [...ledger.first.values()].map((set) => set.receivedAt - upAt);
  return { endings, ledger, perSecond, downSeconds: wasDown, duringOutage, firstAfterUp: Math.min(...times), lastAfterUp: Math.max(...times), complete };
}

export function outageMarkdown(result: Outage): string[] {
  const { ledger } = result;
  const n = result.endings.length;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const whole = ledger.missing === 0 && ledger.duplicateJtis === 0 && ledger.sessionsTwice === 0 && ledger.orderViolations === 0;
  return [
    `### Target 2: the receiver down for ${result.downSeconds.toFixed(0)} s`,
    "",
    `The same stream's receiver stops listening (\`SetReceiver.down()\`: every push meets a refused connection) while ${fmt(n)} sessions log out at ${result.perSecond}/s, then listens again (\`up()\`). Order: the outbox sends a stream's events by row id, so an ending answered before another was sent must arrive first. \`SIGNALS_BENCH_DOWN_SECONDS\` sets the outage (default 120).`,
    "",
    "| | |",
    "|---|---|",
    `| endings while down / their SETs received after \`up()\` | ${fmt(n)} / ${fmt(ledger.first.size)}${result.complete ? "" : ` (gave up after ${DRAIN_TIMEOUT_MS / 1000} s)`} |`,
    `| SETs received while down | ${result.duringOutage} |`,
    `| duplicates by jti / sessions with two SETs | **${ledger.duplicateJtis}** / ${ledger.sessionsTwice} |`,
    `| out of commit order (one stream) | **${ledger.orderViolations}** (${ledger.adjacentSwaps} neighbours in response order swapped) |`,
    `| \`up()\` → first SET / last SET | ${s(result.firstAfterUp)} / **${s(result.lastAfterUp)}** (the back-off waits at most 30 s) |`,
    `| the backlog's SETs per second, first to last | ${arrivalRate(ledger).toFixed(0)}/s |`,
    "",
    `- every event after it returns, in order, none twice: **${whole ? "yes" : "no"}** (${ledger.missing} missing)`,
  ];
}
