import os from "node:os";
import { performance } from "node:perf_hooks";
import type { ServiceProcess } from "../support/service-process";
import type { PushStream } from "../support/ssf-push-stream";
import { endAtRate, sleep, until, type Ending } from "./endings-at-rate";
import type { Signed } from "./graphql";
import { cpuSeconds, fmt, machineCpuSeconds } from "./harness";
import { arrivalRate, ledgerOf, sessionOf, type Ledger } from "./set-ledger";
import { openWatchers, untilSubscribed, type Watcher } from "./socket-swarm";
import { median, percentile } from "./stats";

/** The target: a session-revoked SET at a receiver on this machine p99 < 500 ms after the ending's response. */
export const SET_TARGET_MS = 500;

export interface Storm {
  endings: Ending[];
  watchers: Watcher[];
  ledger: Ledger;
  seconds: number;
  /** Cores' worth of CPU used while the endings were made: the service, this process (callers, sockets, receiver), everything else. */
  cpu: { service: number; bench: number; rest: number };
}

/** Runs `act` and measures the CPU spent meanwhile, in cores' worth. */
async function withCpu<T>(pid: number, act: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: Storm["cpu"] }> {
  const before = { service: cpuSeconds(pid), bench: process.cpuUsage(), machine: machineCpuSeconds() };
  const began = performance.now();
  const value = await act();
  const seconds = (performance.now() - began) / 1000;
  const bench = process.cpuUsage(before.bench);
  const cpu = { service: (cpuSeconds(pid) - before.service) / seconds, bench: (bench.user + bench.system) / 1e6 / seconds, rest: 0 };
  cpu.rest = Math.max(0, (machineCpuSeconds() - before.machine) / seconds - cpu.service - cpu.bench);
  return { value, seconds, cpu };
}

/** Every session logs out at `perSecond`; each ending is heard by its device's socket and by the stream's receiver. */
export async function storm(service: ServiceProcess, stream: PushStream, signed: Signed[], perSecond: number, metricsToken: string): Promise<Storm> {
  const graphqlUrl = `${service.url}/graphql`;
  const watchers = await openWatchers(graphqlUrl.replace(/^http/, "ws"), signed, 1);
  await untilSubscribed(service.url, metricsToken, watchers.length);
  await sleep(1000);
  const { value: endings, seconds, cpu } = await withCpu(service.child.pid!, () => endAtRate(graphqlUrl, signed, perSecond));
  await until(() => watchers.every((w) => w.eventAt !== undefined) && ledgerOf(endings, stream.sets.received).missing === 0, 60_000);
  for (const w of watchers) w.destroy();
  return { endings, watchers, ledger: ledgerOf(endings, stream.sets.received), seconds, cpu };
}

function row(name: string, values: number[], of: number, target = true): string {
  const p = (q: number) => `${percentile(values, q).toFixed(1)} ms`;
  const p99 = percentile(values, 99);
  const ratio = !target ? "" : p99 <= 0 ? "before the response" : `**${(p99 / SET_TARGET_MS).toFixed(2)}×**`;
  return `| ${name} | ${fmt(values.length)} / ${fmt(of)} | ${p(50)} | ${p(95)} | ${p(99)} | ${Math.max(...values).toFixed(1)} ms | ${ratio} |`;
}

function setup(result: Storm, perSecond: number, usesPostgres: boolean): string {
  const n = fmt(result.endings.length);
  const { cpu } = result;
  const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
  return (
    `${n} sessions, each with one device's WebSocket subscribed to \`sessionRevoked\`, and one push stream (session-revoked only) to a receiver on 127.0.0.1 that verifies every SET against the JWKS (\`support/set-receiver.ts\`). ` +
    `Each session then calls \`logout\` at its slot of a steady ${perSecond}/s, whether or not earlier calls have answered (${(result.endings.length / result.seconds).toFixed(1)}/s reached over ${result.seconds.toFixed(1)} s; ` +
    `CPU meanwhile, in % of one of the ${os.cpus().length} cores: the service ${percent(cpu.service)}, the bench ${percent(cpu.bench)}, the rest of the machine${usesPostgres ? ", PostgreSQL included," : ""} ${percent(cpu.rest)}). ` +
    `Latency from each ending's HTTP response reaching the bench; negative: the event came first. The receiver, the ${n} sockets and the callers share the bench process; SetReceiver stamps with \`Date.now()\`, so the SET figures are to the millisecond.`
  );
}

export function stormMarkdown(result: Storm, perSecond: number, usesPostgres: boolean): string[] {
  const responded = new Map(result.endings.map((e) => [e.sessionId, e]));
  const socket = result.watchers.filter((w) => w.eventAt !== undefined).map((w) => w.eventAt! - responded.get(w.sessionId)!.respondedAt);
  const sets = [...result.ledger.first.values()].map((set) => set.receivedAt - responded.get(sessionOf(set))!.respondedAtEpoch);
  const calls = result.endings.map((e) => e.respondedAt - e.sentAt);
  const { ledger } = result;
  const n = result.endings.length;
  return [
    `### Target 1: ${fmt(n)} endings at ${perSecond}/s, SET push beside the socket push`,
    "",
    setup(result, perSecond, usesPostgres),
    "",
    `| after the ending's response | heard | p50 | p95 | p99 | max | p99 / ${SET_TARGET_MS} ms |`,
    "|---|---|---|---|---|---|---|",
    row("socket `sessionRevoked` event", socket, n),
    row("SET at the push receiver", sets, n),
    row("(the `logout` call itself, sent → response)", calls, n, false),
    "",
    `- **SET p99 ${percentile(sets, 99).toFixed(1)} ms** against the target < ${SET_TARGET_MS} ms (**${(percentile(sets, 99) / SET_TARGET_MS).toFixed(2)}×**); socket p99 ${percentile(socket, 99).toFixed(1)} ms; SET p50 − socket p50 = ${(median(sets) - median(socket)).toFixed(1)} ms`,
    `- the one stream's SETs arrived at ${arrivalRate(ledger).toFixed(1)}/s, first to last (endings made at ${(n / result.seconds).toFixed(1)}/s)`,
    `- SETs: ${fmt(ledger.first.size)} of ${fmt(n)} received, ${ledger.duplicateJtis} duplicate jti, ${ledger.orderViolations} out of commit order (${ledger.adjacentSwaps} neighbours in response order swapped${ledger.orderViolations === 0 && ledger.adjacentSwaps > 0 ? ", all of calls that overlapped, so either order is a commit order" : ""}); ${fmt(result.watchers.length - socket.length)} sockets missed their event`,
  ];
}
