import { backoffDelay, RECONNECT_BACKOFF } from "../../client/src/backoff";

describe("the page's reconnect back-off", () => {
  test("the ceiling doubles from the base and stops at the cap", () => {
    const top = (attempt: number) => backoffDelay(attempt, RECONNECT_BACKOFF, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5, 6].map(top)).toEqual([999, 1999, 3999, 7999, 15999, 29999, 29999]);
    expect(top(1_000)).toBe(29999);
  });

  test("full jitter: anywhere from the floor to the ceiling, never below the floor", () => {
    expect(backoffDelay(3, RECONNECT_BACKOFF, () => 0)).toBe(RECONNECT_BACKOFF.floorMs);
    expect(backoffDelay(3, RECONNECT_BACKOFF, () => 0.5)).toBe(4000);
    const delays = Array.from({ length: 1_000 }, () => backoffDelay(10));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(RECONNECT_BACKOFF.floorMs);
    expect(Math.max(...delays)).toBeLessThan(RECONNECT_BACKOFF.capMs);
    // Spread out, so an office's devices do not come back in one second.
    expect(new Set(delays.map((d) => Math.floor(d / 1000))).size).toBeGreaterThan(20);
  });
});
