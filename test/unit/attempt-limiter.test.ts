import { AttemptLimiter, type AttemptLimits } from "../../src/accounts/attempt-limiter";
import { MemoryAttemptStore } from "../../src/accounts/attempt-store";
import { ipPrefix } from "../../src/domain/ip-prefix";
import { RateLimited } from "../../src/domain/errors";

const LIMITS: AttemptLimits = { maxFailuresPerEmail: 3, maxFailuresPerIp: 5, windowSeconds: 60, signupsPerIp: 2, signupWindowSeconds: 3600 };

/** A limiter on a clock the test moves by hand. */
function limiterAt(limits = LIMITS) {
  let now = 1_700_000_000_000;
  const store = new MemoryAttemptStore(() => now);
  const limiter = new AttemptLimiter(limits, store);
  return {
    limiter,
    store,
    advance: (ms: number) => (now += ms),
    /** Whole attempts, one after another, each ending as said. */
    async fail(email: string, ip: string, times = 1) {
      for (let i = 0; i < times; i++) await (await limiter.begin(email, ip)).failed();
    },
    async succeed(email: string, ip: string) {
      await (await limiter.begin(email, ip)).succeeded();
    },
    /** Seconds the next attempt is told to wait; 0 when it is admitted (and then abandoned). */
    async retryAfter(email: string, ip: string): Promise<number> {
      try {
        await (await limiter.begin(email, ip)).abandoned();
        return 0;
      } catch (error) {
        if (error instanceof RateLimited) return error.retryAfterSeconds;
        throw error;
      }
    },
  };
}

describe("AttemptLimiter", () => {
  describe("per account", () => {
    test("allows attempts up to the limit, then refuses for the rest of the window", async () => {
      const { fail, retryAfter } = limiterAt();
      await fail("a@x.com", "10.0.0.1", 2);
      expect(await retryAfter("a@x.com", "10.0.0.1")).toBe(0);
      await fail("a@x.com", "10.0.0.1");
      expect(await retryAfter("a@x.com", "10.0.0.1")).toBe(60);
    });

    test("counts failures from any new network, and locks the account for every new network", async () => {
      const { fail, retryAfter } = limiterAt();
      for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) await fail("a@x.com", ip);
      expect(await retryAfter("a@x.com", "10.9.9.9")).toBeGreaterThan(0);
      expect(await retryAfter("b@x.com", "10.9.9.9")).toBe(0);
    });

    test("a success clears the account's count but not the network's", async () => {
      const { fail, succeed, retryAfter } = limiterAt();
      await fail("a@x.com", "10.0.0.1", 2);
      await succeed("a@x.com", "10.0.0.2");
      await fail("a@x.com", "10.0.0.3", 2);
      expect(await retryAfter("a@x.com", "10.0.0.4")).toBe(0);
      // 10.0.0.1's two failures still count there: three more trip its limit of 5.
      await fail("b@x.com", "10.0.0.1", 3);
      expect(await retryAfter("c@x.com", "10.0.0.1")).toBeGreaterThan(0);
    });
  });

  describe("attempts in flight", () => {
    test("parallel guesses get no more password checks than the limit", async () => {
      const { limiter } = limiterAt();
      let checked = 0;
      const guesses = Array.from({ length: 20 }, async (_, i) => {
        const attempt = await limiter.begin("a@x.com", `10.0.${i}.1`);
        checked++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        await attempt.failed();
      });
      const outcomes = await Promise.allSettled(guesses);
      expect(checked).toBe(3);
      expect(outcomes.filter((o) => o.status === "rejected").every((o) => (o as PromiseRejectedResult).reason instanceof RateLimited)).toBe(true);
    });

    test("a correct password is never refused because of attempts still in flight: it waits for them", async () => {
      // On fake timers the wait is as long as the test says, and nothing but a settled attempt can end it early.
      jest.useFakeTimers();
      try {
        const { limiter } = limiterAt();
        const inFlight = await Promise.all(Array.from({ length: 3 }, () => limiter.begin("a@x.com", "10.0.0.1")));
        // The limit is reached by attempts whose outcome is not known yet: the next one waits...
        let outcome = "waiting";
        const next = limiter.begin("a@x.com", "10.0.0.1");
        next.then(
          () => (outcome = "admitted"),
          () => (outcome = "refused"),
        );
        // ...through many of its re-checks (every 250 ms), up to just short of its 10 s limit...
        await jest.advanceTimersByTimeAsync(9_900);
        expect(outcome).toBe("waiting");
        // ...and is admitted once they turn out to be right, with no timer having to fire.
        for (const attempt of inFlight) await attempt.succeeded();
        await jest.advanceTimersByTimeAsync(0);
        expect(outcome).toBe("admitted");
        await (await next).succeeded();
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe("known networks", () => {
    test("the owner, from a network the account has logged in from, is not locked out by guesses from elsewhere", async () => {
      const { fail, succeed, retryAfter } = limiterAt();
      await succeed("a@x.com", "192.0.2.10");
      await fail("a@x.com", "198.51.100.1", 3);
      expect(await retryAfter("a@x.com", "198.51.100.2")).toBeGreaterThan(0);
      expect(await retryAfter("a@x.com", "192.0.2.10")).toBe(0);
      // Their own network has a count of its own: guessing from there is limited too.
      await fail("a@x.com", "192.0.2.10", 3);
      expect(await retryAfter("a@x.com", "192.0.2.10")).toBeGreaterThan(0);
    });

    test("a network full of failures (a NAT under attack) still lets in the accounts that have logged in from it", async () => {
      const { fail, succeed, retryAfter } = limiterAt();
      await succeed("regular@x.com", "203.0.113.7");
      for (let i = 0; i < 5; i++) await fail(`stranger${i}@x.com`, "203.0.113.7");
      expect(await retryAfter("someone-new@x.com", "203.0.113.7")).toBeGreaterThan(0);
      expect(await retryAfter("regular@x.com", "203.0.113.7")).toBe(0);
    });
  });

  describe("device tokens (OWASP's device cookies)", () => {
    /** Attempts of a device presenting the (already recognised) device token `device`. */
    function withDevice(limiter: AttemptLimiter, device: string) {
      return {
        async fail(email: string, ip: string, times = 1) {
          for (let i = 0; i < times; i++) await (await limiter.begin(email, ip, device)).failed();
        },
        async succeed(email: string, ip: string) {
          await (await limiter.begin(email, ip, device)).succeeded();
        },
        async retryAfter(email: string, ip: string): Promise<number> {
          try {
            await (await limiter.begin(email, ip, device)).abandoned();
            return 0;
          } catch (error) {
            if (error instanceof RateLimited) return error.retryAfterSeconds;
            throw error;
          }
        },
      };
    }

    test("a device that logged in before gets in from a network locked by others' failures, where the owner without it is refused", async () => {
      const { limiter, fail, retryAfter } = limiterAt();
      for (let i = 0; i < 5; i++) await fail(`stranger${i}@x.com`, "203.0.113.7");
      expect(await retryAfter("owner@x.com", "203.0.113.7")).toBeGreaterThan(0);
      expect(await withDevice(limiter, "device-1").retryAfter("owner@x.com", "203.0.113.7")).toBe(0);
    });

    test("an account locked by guesses from elsewhere still lets its devices in", async () => {
      const { limiter, fail, retryAfter } = limiterAt();
      await fail("owner@x.com", "198.51.100.1", 3);
      expect(await retryAfter("owner@x.com", "198.51.100.2")).toBeGreaterThan(0);
      expect(await withDevice(limiter, "device-1").retryAfter("owner@x.com", "198.51.100.2")).toBe(0);
    });

    test("a device's own failures lock that device token only: not the account, not its network, not the account's other devices", async () => {
      const { limiter, retryAfter } = limiterAt();
      const laptop = withDevice(limiter, "laptop");
      await laptop.fail("owner@x.com", "192.0.2.10", 3);
      expect(await laptop.retryAfter("owner@x.com", "192.0.2.10")).toBe(60);
      expect(await laptop.retryAfter("owner@x.com", "198.51.100.9")).toBe(60);
      expect(await withDevice(limiter, "phone").retryAfter("owner@x.com", "192.0.2.10")).toBe(0);
      expect(await retryAfter("owner@x.com", "192.0.2.10")).toBe(0);
      expect(await retryAfter("someone@x.com", "192.0.2.10")).toBe(0);
    });

    test("a device's failures leave the network's count alone, and its success the account's", async () => {
      const { limiter, fail, retryAfter } = limiterAt();
      const laptop = withDevice(limiter, "laptop");
      await laptop.fail("owner@x.com", "203.0.113.7", 2);
      // Three strangers' failures there: five would lock it, the device's two did not count.
      for (let i = 0; i < 3; i++) await fail(`stranger${i}@x.com`, "203.0.113.7");
      expect(await retryAfter("someone@x.com", "203.0.113.7")).toBe(0);
      // Two guesses at the account from elsewhere stay counted through the device's success.
      await fail("owner@x.com", "198.51.100.1", 2);
      await laptop.succeed("owner@x.com", "192.0.2.10");
      await fail("owner@x.com", "198.51.100.2");
      expect(await retryAfter("owner@x.com", "198.51.100.3")).toBeGreaterThan(0);
    });

    test("a success clears the device's own count", async () => {
      const { limiter } = limiterAt();
      const laptop = withDevice(limiter, "laptop");
      await laptop.fail("owner@x.com", "192.0.2.10", 2);
      await laptop.succeed("owner@x.com", "192.0.2.10");
      await laptop.fail("owner@x.com", "192.0.2.10", 2);
      expect(await laptop.retryAfter("owner@x.com", "192.0.2.10")).toBe(0);
    });

    test("the device's lock lifts with the window", async () => {
      const { limiter, advance } = limiterAt();
      const laptop = withDevice(limiter, "laptop");
      await laptop.fail("owner@x.com", "192.0.2.10", 3);
      advance(60_000);
      expect(await laptop.retryAfter("owner@x.com", "192.0.2.10")).toBe(0);
    });
  });

  test("IPv6 clients are limited per /64, not per address", async () => {
    expect(ipPrefix("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(ipPrefix("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(ipPrefix("2001:0db8:0000:0002::1")).toBe("2001:db8:0:2::/64");
    expect(ipPrefix("::1")).toBe("0:0:0:0::/64");
    expect(ipPrefix("203.0.113.7")).toBe("203.0.113.7");
    const { fail, retryAfter } = limiterAt();
    for (let i = 1; i <= 5; i++) await fail(`u${i}@x.com`, `2001:db8:1:2::${i}`);
    expect(await retryAfter("v@x.com", "2001:db8:1:2:ffff::9")).toBeGreaterThan(0);
    expect(await retryAfter("v@x.com", "2001:db8:1:3::1")).toBe(0);
  });

  describe("the window", () => {
    test("the lock lifts by itself once the oldest counted failure leaves the window", async () => {
      const { fail, retryAfter, advance } = limiterAt();
      await fail("a@x.com", "10.0.0.1", 3);
      advance(59_000);
      expect(await retryAfter("a@x.com", "10.0.0.1")).toBe(1);
      advance(1_000);
      expect(await retryAfter("a@x.com", "10.0.0.1")).toBe(0);
    });

    test("it slides: only failures inside the last window count", async () => {
      const { fail, retryAfter, advance } = limiterAt();
      await fail("a@x.com", "10.0.0.1", 2);
      advance(40_000);
      await fail("a@x.com", "10.0.0.1");
      expect(await retryAfter("a@x.com", "10.0.0.1")).toBe(20);
      advance(20_000);
      expect(await retryAfter("a@x.com", "10.0.0.1")).toBe(0);
    });

    test("asking while locked does not extend the lock: waiting always ends it", async () => {
      const { fail, retryAfter, advance } = limiterAt();
      await fail("a@x.com", "10.0.0.1", 3);
      for (let i = 0; i < 5; i++) {
        advance(10_000);
        expect(await retryAfter("a@x.com", "10.0.0.1")).toBeGreaterThan(0);
      }
      advance(10_000);
      expect(await retryAfter("a@x.com", "10.0.0.1")).toBe(0);
    });
  });

  test("sign-ups are limited per network, each attempt counting", async () => {
    const { limiter, advance } = limiterAt();
    await limiter.signUp("10.0.0.1");
    await limiter.signUp("10.0.0.1");
    await expect(limiter.signUp("10.0.0.1")).rejects.toMatchObject({ retryAfterSeconds: 3600 });
    await limiter.signUp("10.0.0.2");
    advance(3_600_000);
    await limiter.signUp("10.0.0.1");
  });

  test("keys of one-off attempts are dropped once they leave the window, so memory stays bounded", async () => {
    const { fail, store, advance, retryAfter } = limiterAt();
    for (let i = 0; i < 100; i++) await fail(`spray${i}@x.com`, `10.1.${i}.1`);
    expect(store.trackedKeys).toBe(200);
    advance(61_000);
    await retryAfter("someone@x.com", "10.9.9.9");
    expect(store.trackedKeys).toBe(0);
  });
});
