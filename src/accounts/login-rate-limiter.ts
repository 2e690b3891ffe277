export interface RateLimits {
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

/**
 * Counts failed password checks per email and per client IP in a sliding window. Counting per
 * email stops a distributed guesser; per IP stops one client spraying many accounts. The lock
 * lifts by itself when old failures leave the window, so nobody can lock a victim out for good.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private lastPrune = 0;

  constructor(private readonly limits: RateLimits, private readonly now: () => number = Date.now) {}

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(email: string, ip: string): number {
    return Math.max(
      this.wait(`email:${email}`, this.limits.maxFailuresPerEmail),
      this.wait(`ip:${ip}`, this.limits.maxFailuresPerIp),
    );
  }

  /** Returns an undo, for callers that count an attempt before they know it failed. */
  recordFailure(email: string, ip: string): () => void {
    const at = this.now();
    this.pruneOccasionally(at);
    const keys = [`email:${email}`, `ip:${ip}`];
    for (const key of keys) {
      const list = this.recent(key);
      list.push(at);
      this.failures.set(key, list);
    }
    return () => {
      for (const key of keys) {
        const list = this.failures.get(key);
        const index = list ? list.lastIndexOf(at) : -1;
        if (index >= 0) list!.splice(index, 1);
      }
    };
  }

  /** How many emails and addresses have failures on record: the limiter's memory, which must stay bounded. */
  get trackedKeys(): number {
    return this.failures.size;
  }

  /** A correct password clears the account's count, not the IP's. */
  recordSuccess(email: string): void {
    this.failures.delete(`email:${email}`);
  }

  /**
   * Keys are only tidied when they are looked at again, so a spray of one-off emails would
   * otherwise grow the map for good; once per window, drop every key with nothing left in it.
   */
  private pruneOccasionally(now: number): void {
    if (now - this.lastPrune < this.limits.windowSeconds * 1000) return;
    this.lastPrune = now;
    for (const key of [...this.failures.keys()]) this.recent(key);
  }

  private wait(key: string, max: number): number {
    const list = this.recent(key);
    if (list.length < max) return 0;
    const oldestThatCounts = list[list.length - max];
    return Math.max(1, Math.ceil((oldestThatCounts + this.limits.windowSeconds * 1000 - this.now()) / 1000));
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowSeconds * 1000;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}
