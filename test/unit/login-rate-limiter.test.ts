import { LoginRateLimiter, type RateLimits } from "../../src/accounts/login-rate-limiter";

const LIMITS: RateLimits = { maxFailuresPerEmail: 3, maxFailuresPerIp: 5, windowSeconds: 60 };

/** A limiter on a clock the test moves by hand. */
function limiterAt(start = 1_700_000_000_000, limits = LIMITS) {
  let now = start;
  const limiter = new LoginRateLimiter(limits, () => now);
  return {
    limiter,
    advance(ms: number) {
      now += ms;
    },
    fail(email: string, ip: string, times = 1) {
      for (let i = 0; i < times; i++) limiter.recordFailure(email, ip);
    },
  };
}

describe("LoginRateLimiter", () => {
  describe("per email", () => {
    test("allows attempts up to the limit, then refuses", () => {
      const { limiter, fail } = limiterAt();
      fail("a@x.com", "10.0.0.1", 2);
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(0);
      fail("a@x.com", "10.0.0.1");
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(60);
    });

    test("counts failures from any address, and locks the email for every address", () => {
      const { limiter } = limiterAt();
      limiter.recordFailure("a@x.com", "10.0.0.1");
      limiter.recordFailure("a@x.com", "10.0.0.2");
      limiter.recordFailure("a@x.com", "10.0.0.3");
      expect(limiter.retryAfter("a@x.com", "10.9.9.9")).toBeGreaterThan(0);
      expect(limiter.retryAfter("b@x.com", "10.9.9.9")).toBe(0);
    });

    test("a success clears the email's count but not the address's", () => {
      const { limiter, fail } = limiterAt();
      fail("a@x.com", "10.0.0.1", 2);
      limiter.recordSuccess("a@x.com");
      fail("a@x.com", "10.0.0.1", 2);
      expect(limiter.retryAfter("a@x.com", "10.0.0.2")).toBe(0);
      // Four failures from 10.0.0.1 still count there: one more trips the per-IP limit of 5.
      fail("b@x.com", "10.0.0.1");
      expect(limiter.retryAfter("c@x.com", "10.0.0.1")).toBeGreaterThan(0);
    });
  });

  describe("attempts counted before the password check", () => {
    test("each recorded attempt is seen by the next retryAfter at once, so parallel guesses stop at the limit", () => {
      const { limiter } = limiterAt();
      let admitted = 0;
      // What AccountService does per request: check and record in one synchronous step, check later.
      for (let i = 0; i < 20; i++) {
        if (limiter.retryAfter("a@x.com", `10.0.0.${i}`) > 0) continue;
        limiter.recordFailure("a@x.com", `10.0.0.${i}`);
        admitted++;
      }
      expect(admitted).toBe(3);
    });

    test("the undo takes back exactly that attempt, for the email and the address", () => {
      const { limiter, fail } = limiterAt();
      fail("a@x.com", "10.0.0.1", 2);
      const forgive = limiter.recordFailure("a@x.com", "10.0.0.1");
      expect(limiter.retryAfter("a@x.com", "10.0.0.2")).toBeGreaterThan(0);
      forgive();
      expect(limiter.retryAfter("a@x.com", "10.0.0.2")).toBe(0);
      // Two failures remain on each key: one more locks the email again, and 10.0.0.1 is at 2 of 5.
      fail("a@x.com", "10.0.0.3");
      expect(limiter.retryAfter("a@x.com", "10.0.0.9")).toBeGreaterThan(0);
      fail("b@x.com", "10.0.0.1", 2);
      expect(limiter.retryAfter("c@x.com", "10.0.0.1")).toBe(0);
      fail("b@x.com", "10.0.0.1");
      expect(limiter.retryAfter("c@x.com", "10.0.0.1")).toBeGreaterThan(0);
    });

    test("an undo after the attempt has left the window changes nothing", () => {
      const { limiter, fail, advance } = limiterAt();
      const forgive = limiter.recordFailure("a@x.com", "10.0.0.1");
      advance(60_000);
      fail("a@x.com", "10.0.0.1", 3);
      forgive();
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(60);
    });
  });

  describe("per address", () => {
    test("many emails from one address trip the per-IP limit; other addresses are unaffected", () => {
      const { limiter } = limiterAt();
      for (let i = 0; i < 4; i++) limiter.recordFailure(`user${i}@x.com`, "10.0.0.1");
      expect(limiter.retryAfter("new@x.com", "10.0.0.1")).toBe(0);
      limiter.recordFailure("user4@x.com", "10.0.0.1");
      expect(limiter.retryAfter("new@x.com", "10.0.0.1")).toBe(60);
      expect(limiter.retryAfter("new@x.com", "10.0.0.2")).toBe(0);
    });
  });

  describe("the window", () => {
    test("the lock lifts by itself once the oldest counted failure leaves the window", () => {
      const { limiter, fail, advance } = limiterAt();
      fail("a@x.com", "10.0.0.1", 3);
      advance(59_999);
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(1);
      advance(1);
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(0);
    });

    test("it slides: only failures inside the last window count", () => {
      const { limiter, fail, advance } = limiterAt();
      fail("a@x.com", "10.0.0.1"); // t = 0
      advance(30_000);
      fail("a@x.com", "10.0.0.2"); // t = 30 s
      advance(20_000);
      fail("a@x.com", "10.0.0.3"); // t = 50 s: three in the window
      expect(limiter.retryAfter("a@x.com", "10.0.0.4")).toBe(10);
      advance(10_000); // t = 60 s: the first has left
      expect(limiter.retryAfter("a@x.com", "10.0.0.4")).toBe(0);
      fail("a@x.com", "10.0.0.4"); // three again: 30 s, 50 s, 60 s
      expect(limiter.retryAfter("a@x.com", "10.0.0.4")).toBe(30);
    });

    test("retryAfter is whole seconds until the next attempt is allowed, never below 1 while locked", () => {
      const { limiter, fail, advance } = limiterAt();
      fail("a@x.com", "10.0.0.1", 3);
      advance(58_500);
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(2);
      advance(1_499);
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(1);
    });

    test("with more failures than the limit, the lock lasts until enough of them have left", () => {
      const { limiter, fail, advance } = limiterAt();
      fail("a@x.com", "10.0.0.1", 1); // t = 0
      advance(10_000);
      fail("a@x.com", "10.0.0.1", 3); // t = 10 s: four failures, limit three
      advance(50_000); // t = 60 s: the first left, three remain
      expect(limiter.retryAfter("a@x.com", "10.0.0.9")).toBe(10);
      advance(10_000);
      expect(limiter.retryAfter("a@x.com", "10.0.0.9")).toBe(0);
    });

    test("asking while locked does not extend the lock: waiting always ends it", () => {
      const { limiter, fail, advance } = limiterAt();
      fail("a@x.com", "10.0.0.1", 3);
      for (let i = 0; i < 100; i++) {
        advance(500);
        limiter.retryAfter("a@x.com", "10.0.0.1");
      }
      advance(10_000);
      expect(limiter.retryAfter("a@x.com", "10.0.0.1")).toBe(0);
    });
  });

  test("emails and addresses are separate key spaces", () => {
    // An email that looks like an address must not share a counter with it.
    const { limiter } = limiterAt(undefined, { maxFailuresPerEmail: 3, maxFailuresPerIp: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) limiter.recordFailure("10.0.0.1", `10.0.1.${i}`);
    expect(limiter.retryAfter("someone@x.com", "10.0.0.1")).toBe(0);
  });

  test("keys of one-off attempts are dropped once they leave the window, so memory stays bounded", () => {
    const { limiter, advance } = limiterAt();
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`spray-${i}@x.com`, `10.1.${i >> 8}.${i & 255}`);
    const tracked = () => limiter.trackedKeys;
    expect(tracked()).toBeGreaterThanOrEqual(1000);
    advance(61_000);
    limiter.recordFailure("late@x.com", "10.9.9.9");
    expect(tracked()).toBe(2);
  });
});
