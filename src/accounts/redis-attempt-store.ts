import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import type { Logger } from "../logging/logger";
import { MemoryAttemptStore, type Admission, type AttemptStore, type LimitCheck } from "./attempt-store";

const PREFIX = "session-service:attempts:";
// Trust is a plain key; a pair's failures are a sorted set under the same name in PREFIX.
const TRUSTED = "session-service:trusted:";
// An instance that dies mid-attempt leaves its reservation: it stops counting after this long.
const RESERVATION_MS = 30_000;
// A Redis that stops answering must not hold logins: past this a command has failed…
const DEADLINE_MS = 500;
// …and for this long after a failure attempts are counted in memory without asking Redis again.
const RETRY_REDIS_AFTER_MS = 5000;

// Sorted sets of timestamps (Redis's own clock, so instances with skewed clocks agree): KEYS are
// failure sets, each with its in-flight set at KEYS[i]..":inflight". ARGV: window, then the maxes.
const ADMIT = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[1])
local ticket = ARGV[2]
local wait = false
for i, key in ipairs(KEYS) do
  local max = tonumber(ARGV[i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  redis.call('ZREMRANGEBYSCORE', key .. ':inflight', '-inf', now)
  local failures = redis.call('ZCARD', key)
  if failures >= max then
    local oldest = redis.call('ZRANGE', key, failures - max, failures - max, 'WITHSCORES')
    return {'limited', tonumber(oldest[2]) + window - now}
  end
  if failures + redis.call('ZCARD', key .. ':inflight') >= max then wait = true end
end
if wait then return {'wait', 0} end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key .. ':inflight', now + ${RESERVATION_MS}, ticket)
  redis.call('PEXPIRE', key .. ':inflight', ${RESERVATION_MS})
end
return {'admitted', 0}
`;

const SETTLE = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for _, key in ipairs(KEYS) do
  redis.call('ZREM', key .. ':inflight', ARGV[1])
  if ARGV[2] == '1' then
    redis.call('ZADD', key, now, ARGV[1])
    redis.call('PEXPIRE', key, tonumber(ARGV[3]))
  end
end
return 0
`;

const HIT = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local max, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], count - max, count - max, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

/**
 * Attempt counts in Redis: shared by every instance behind one Redis, and kept across restarts.
 * While Redis does not answer, each instance counts in memory (limits per instance rather than
 * none, and logins keep working); the failure is logged.
 */
export class RedisAttemptStore implements AttemptStore {
  private readonly fallback = new MemoryAttemptStore();
  // Failures may be counted for longer than the login window (sign-ups): kept for the longest asked.
  private longestWindowMs = 0;
  private redisFailedAt = -Infinity;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  /** Connected before it is used: a command sent while connecting would be refused (no offline queue). */
  static async connect(url: string, logger: Logger): Promise<RedisAttemptStore> {
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, commandTimeout: DEADLINE_MS });
    redis.on("error", (error) => logger.warn({ err: error }, "redis (attempt limits) error"));
    await redis.connect();
    return new RedisAttemptStore(redis, logger);
  }

  async admit(checks: LimitCheck[], windowMs: number): Promise<Admission> {
    this.longestWindowMs = Math.max(this.longestWindowMs, windowMs);
    const ticket = randomUUID();
    return this.orInMemory(async () => {
      const [kind, retryAfterMs] = (await this.redis.eval(ADMIT, checks.length, ...checks.map((c) => PREFIX + c.key), windowMs, ticket, ...checks.map((c) => c.max))) as [string, number];
      if (kind === "limited") return { kind: "limited", retryAfterMs } as const;
      return kind === "wait" ? ({ kind: "wait" } as const) : ({ kind: "admitted", ticket } as const);
    }, () => this.fallback.admit(checks, windowMs));
  }

  async settle(keys: string[], ticket: string, failed: boolean): Promise<void> {
    await this.orInMemory(
      async () => void (await this.redis.eval(SETTLE, keys.length, ...keys.map((k) => PREFIX + k), ticket, failed ? "1" : "0", this.longestWindowMs)),
      () => this.fallback.settle(keys, ticket, failed),
    );
  }

  async clear(keys: string[]): Promise<void> {
    await this.orInMemory(async () => void (await this.redis.del(...keys.map((k) => PREFIX + k))), () => this.fallback.clear(keys));
  }

  async hit(key: string, max: number, windowMs: number): Promise<number> {
    return this.orInMemory(async () => Number(await this.redis.eval(HIT, 1, PREFIX + key, max, windowMs, randomUUID())), () => this.fallback.hit(key, max, windowMs));
  }

  async trust(pair: string, forMs: number): Promise<void> {
    await this.orInMemory(async () => void (await this.redis.set(TRUSTED + pair, "1", "PX", forMs)), () => this.fallback.trust(pair, forMs));
  }

  async isTrusted(pair: string): Promise<boolean> {
    return this.orInMemory(async () => (await this.redis.exists(TRUSTED + pair)) === 1, () => this.fallback.isTrusted(pair));
  }

  /** Other instances' attempts settle there, not here: look again shortly. */
  settled(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 25)));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async orInMemory<T>(inRedis: () => Promise<T>, inMemory: () => Promise<T>): Promise<T> {
    if (Date.now() - this.redisFailedAt < RETRY_REDIS_AFTER_MS) return inMemory();
    try {
      return await inRedis();
    } catch (error) {
      this.redisFailedAt = Date.now();
      this.logger.warn({ err: error }, "attempt limits: redis unavailable, counting in memory");
      return inMemory();
    }
  }
}
