import { performance } from "node:perf_hooks";
import { gql, type Signed } from "./graphql";

/** One ending the bench made: its session, and when its call left and its answer came (performance clock). */
export interface Ending {
  sessionId: string;
  sentAt: number;
  respondedAt: number;
  /** The answer's time by Date.now(), the clock SetReceiver stamps `receivedAt` with. */
  respondedAtEpoch: number;
}

const LOGOUT = "mutation { logout }";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Whether `condition` came true within `timeoutMs`, looking every 50 ms. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Each session logs itself out at its slot of a steady `perSecond`, whether or not earlier calls
 * have answered (an open loop: a slow service meets the same rate, not a politer one).
 */
export function endAtRate(graphqlUrl: string, signed: Signed[], perSecond: number): Promise<Ending[]> {
  const start = performance.now() + 50;
  return Promise.all(
    signed.map(async (session, i) => {
      await sleep(start + (i * 1000) / perSecond - performance.now());
      const sentAt = performance.now();
      await gql(graphqlUrl, LOGOUT, {}, session.accessToken);
      return { sessionId: session.sessionId, sentAt, respondedAt: performance.now(), respondedAtEpoch: Date.now() };
    }),
  );
}
