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

  constructor(private readonly limits: RateLimits, private readonly now: () => number = Date.now) {}

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(email: string, ip: string): number {
    return Math.max(
      this.wait(`email:${email}`, this.limits.maxFailuresPerEmail),
      this.wait(`ip:${ip}`, this.limits.maxFailuresPerIp),
    );
  }

  recordFailure(email: string, ip: string): void {
    for (const key of [`email:${email}`, `ip:${ip}`]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
  }

  /** A correct password clears the account's count, not the IP's. */
  recordSuccess(email: string): void {
    this.failures.delete(`email:${email}`);
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
