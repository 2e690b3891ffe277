/** One limit to check: at most `max` failures under `key` within the window. */
export interface LimitCheck {
  key: string;
  max: number;
}

export type Admission = { kind: "admitted"; ticket: string } | { kind: "wait" } | { kind: "limited"; retryAfterMs: number };

/**
 * Where attempts are counted: failures in a sliding window, attempts in flight, and the
 * (account, network) pairs that have logged in before. In memory for one instance; in Redis
 * (redis-attempt-store.ts) shared by every instance and kept across restarts.
 */
export interface AttemptStore {
  /**
   * Admits one attempt under every check, counting it as in flight, unless failures already
   * reach a limit ("limited") or could with the attempts in flight ("wait": try again once some settle).
   */
  admit(checks: LimitCheck[], windowMs: number): Promise<Admission>;
  /** An admitted attempt is over: no longer in flight, and a failure under each key if it failed. */
  settle(keys: string[], ticket: string, failed: boolean): Promise<void>;
  clear(keys: string[]): Promise<void>;
  /** Counts one event under `key`; how long to wait first when `max` were already counted in the window (0: go). */
  hit(key: string, max: number, windowMs: number): Promise<number>;
  trust(pair: string, forMs: number): Promise<void>;
  isTrusted(pair: string): Promise<boolean>;
  /** Resolves when some attempt settles (or after `timeoutMs`), for admissions told to wait. */
  settled(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Seconds a client is told to wait: whole, and never 0 while limited. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The single-instance store; its clock can be moved by tests. */
export class MemoryAttemptStore implements AttemptStore {
  private readonly events = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly trusted = new Map<string, number>();
  private waiters: (() => void)[] = [];
  private tickets = 0;
  private lastPrune = 0;
  // Keys of different windows share the map: tidying keeps anything the longest one may count.
  private longestWindowMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async admit(checks: LimitCheck[], windowMs: number): Promise<Admission> {
    let wait = false;
    for (const { key, max } of checks) {
      const recent = this.recent(key, windowMs);
      if (recent.length >= max) return { kind: "limited", retryAfterMs: recent[recent.length - max] + windowMs - this.now() };
      if (recent.length + (this.inFlight.get(key) ?? 0) >= max) wait = true;
    }
    if (wait) return { kind: "wait" };
    for (const { key } of checks) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    return { kind: "admitted", ticket: String(++this.tickets) };
  }

  async settle(keys: string[], _ticket: string, failed: boolean): Promise<void> {
    const at = this.now();
    for (const key of keys) {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
      if (failed) this.events.set(key, [...(this.events.get(key) ?? []), at]);
    }
    const woken = this.waiters;
    this.waiters = [];
    for (const wake of woken) wake();
  }

  async clear(keys: string[]): Promise<void> {
    for (const key of keys) this.events.delete(key);
  }

  async hit(key: string, max: number, windowMs: number): Promise<number> {
    const recent = this.recent(key, windowMs);
    if (recent.length >= max) return recent[recent.length - max] + windowMs - this.now();
    this.events.set(key, [...recent, this.now()]);
    return 0;
  }

  async trust(pair: string, forMs: number): Promise<void> {
    this.trusted.set(pair, this.now() + forMs);
  }

  async isTrusted(pair: string): Promise<boolean> {
    return (this.trusted.get(pair) ?? 0) > this.now();
  }

  settled(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** How many keys are held: the store's memory, which must stay bounded. */
  get trackedKeys(): number {
    return this.events.size + this.inFlight.size + this.trusted.size;
  }

  async close(): Promise<void> {}

  private recent(key: string, windowMs: number): number[] {
    const now = this.now();
    this.longestWindowMs = Math.max(this.longestWindowMs, windowMs);
    this.pruneOccasionally(now);
    const list = (this.events.get(key) ?? []).filter((t) => t > now - windowMs);
    if (list.length) this.events.set(key, list);
    else this.events.delete(key);
    return list;
  }

  /**
   * Keys are tidied when they are looked at again, so a spray of one-off emails would otherwise
   * grow the maps for good; once per window, drop every key with nothing left in it.
   */
  private pruneOccasionally(now: number): void {
    if (now - this.lastPrune < this.longestWindowMs) return;
    this.lastPrune = now;
    for (const [key, list] of this.events) if (!list.some((t) => t > now - this.longestWindowMs)) this.events.delete(key);
    for (const [pair, until] of this.trusted) if (until <= now) this.trusted.delete(pair);
  }
}
