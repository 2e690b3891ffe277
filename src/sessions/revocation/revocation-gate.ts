import type { Role } from "../../domain/role";
import type { SessionEnded } from "../../domain/session-ended";
import type { SessionStarted } from "../../domain/session-started";
import type { Logger } from "../../logging/logger";
import type { ClaimedEnding, SessionChanged, SessionEventBus, SessionNews } from "../session-event-bus";
import { Listeners } from "./listeners";
import { LogReader } from "./log-reader";
import type { Clock, Revocation, RevocationSource } from "./revocation-source";
import { RecentIds } from "./recent-ids";
import { RevocationSet } from "./revocation-set";


/** What the auth check may conclude about a session without the database. */
export type Verdict = "ended" | "active" | "ask-database";

/** How this instance learned of an ending: it committed it, the bus brought it (confirmed), or the log did. */
export type EndingOrigin = "here" | "bus" | "log";

/**
 * How long before a token was signed the facts in it (its session active, its role) may have
 * been read: a login reads the account before its password check, which can wait behind the
 * limiter. An ending or role change this much older than a token may still concern it.
 */
export const ISSUE_RACE_SECONDS = 60;

/**
 * How long the gate must remember an ending or role change for a deployment's tokens. An
 * accepted token lives at most TTL + tolerance after its iat (longer ones are refused) and is
 * refused only once the clock is past its exp by the tolerance; the facts in it may be
 * ISSUE_RACE_SECONDS older than its iat.
 */
export function revocationMemorySeconds(tokens: { accessTokenTtlSeconds: number; clockToleranceSeconds: number }): number {
  return tokens.accessTokenTtlSeconds + 2 * tokens.clockToleranceSeconds + ISSUE_RACE_SECONDS;
}

/**
 * How long the revocation log keeps a row: twice the memory, so an instance that loads or
 * catches up at the edge of the window still finds everything it must remember.
 */
export function revocationLogRetentionSeconds(memorySeconds: number): number {
  return 2 * memorySeconds;
}

// What a read of the revocation log may take, beyond the interval between reads.
const LOG_READ_ALLOWANCE_MS = 250;
// The longest an answer waits for the others' reads: past it, a longer interval than the
// default leaves a gap (docs/operations.md, SESSION_SWEEP_INTERVAL_MS).
const MAX_ANSWER_HOLD_MS = 2000;

/**
 * How long after its commit an ending that no bus could say it delivered holds its answer: until
 * every instance, each reading the log every `catchUpIntervalMs` (the fleet shares
 * SESSION_SWEEP_INTERVAL_MS), has read it, at most MAX_ANSWER_HOLD_MS.
 */
export function undeliveredHoldMs(catchUpIntervalMs: number): number {
  return Math.min(catchUpIntervalMs + LOG_READ_ALLOWANCE_MS, MAX_ANSWER_HOLD_MS);
}

export interface RevocationGateOptions {
  /**
   * How long an ending or role change is remembered: at least the longest an accepted access
   * token can be presented after it was issued, plus ISSUE_RACE_SECONDS.
   */
  memorySeconds: number;
  /** How often the log is read for what the bus did not bring. */
  catchUpIntervalMs: number;
  /** Whether the bus carries every instance's endings (Redis, PostgreSQL's NOTIFY, or there is no other instance). */
  hearsEveryInstance: boolean;
}

/**
 * The one way in for news of sessions: this instance's own commits, claims from other instances
 * (through the bus), and the revocation log (the database's own ordered record, read at start,
 * after every bus resync and on an interval, so a lost message delays news by one interval at
 * most). Claims are believed only from the database: their sessions are checked there until
 * settled, and only the claims this instance would act on (see `actsOn`) are confirmed at once.
 * Whatever acts on an ending (sockets, live lists, caches, metrics) listens here, and hears each
 * ending once. While the bus is down, or a claim is unconfirmed, the verdict is "ask the
 * database": it fails closed, never open.
 */
export class RevocationGate {
  private readonly known: RevocationSet;
  private readonly log: LogReader;
  private readonly ended = new Listeners<[SessionEnded, EndingOrigin]>();
  private readonly roleChanged = new Listeners<[string]>();
  private readonly started = new Listeners<[SessionStarted]>();
  private readonly changed = new Listeners<[SessionChanged]>();
  private readonly suspected = new Listeners<[ClaimedEnding]>();
  private readonly resynced = new Listeners<[]>();
  private readonly interests: ((claim: ClaimedEnding) => boolean)[] = [];
  /** Starts already told: a bus that echoes this instance's own commits would tell them twice. */
  private readonly recentStarts = new RecentIds(10_000);
  /** Sessions this instance is ending, between its statement and the commit's announcement. */
  private readonly ending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: RevocationSource,
    private readonly bus: SessionEventBus,
    private readonly options: RevocationGateOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.known = new RevocationSet(options.memorySeconds * 1000, () => clock.now());
    this.log = new LogReader(source, clock, options.memorySeconds, (entries, late) => this.apply(entries, late), logger);
    bus.listen({
      claimed: (claims) => void this.claimed(claims),
      started: (events) => this.tellStarted(events),
      // Only caches listen, and a false one costs them one read: believed without a check.
      changed: (events) => this.tellChanged(events),
      resync: () => this.resync(),
    });
  }

  /** Reads the last token lifetime's entries; until then every check asks the database. */
  load(): Promise<void> {
    return this.log.load();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.catchUpIntervalMs);
    this.timer.unref();
  }

  /** One interval's work: forget what no valid token can concern any more, then read the log. */
  tick(): Promise<void> {
    this.known.prune();
    return this.catchUp();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.log.stop();
  }

  // Ways in.

  /**
   * What this instance is about to commit: until it is announced, news of these endings from the
   * bus is this instance's own coming back (their rows are locked by the ending until then).
   */
  committing(news: SessionNews): () => void {
    const ids = news.ended.map((e) => e.sessionId);
    for (const id of ids) this.ending.add(id);
    return () => {
      for (const id of ids) this.ending.delete(id);
    };
  }

  /** What this instance has just committed: believed as it is, and told at once. */
  committed(news: SessionNews): void {
    for (const event of news.ended) this.learn(event, "here");
    this.tellStarted(news.started);
    this.tellChanged(news.changed);
    if (news.rolesChanged.length > 0) void this.catchUp();
  }

  /**
   * Another instance says these ended. All are checked in the database until settled; those this
   * instance would act on are confirmed now, the rest by the next read of the log. So the
   * confirming queries follow this instance's sockets and lists, not every ending in the fleet.
   */
  async claimed(given: ClaimedEnding[]): Promise<void> {
    // A bus that echoes this instance's own commits (PostgreSQL's NOTIFY) claims what is known.
    const claims = given.filter((c) => !this.known.isEnded(c.sessionId) && !this.ending.has(c.sessionId));
    if (claims.length === 0) return;
    this.known.suspect(claims.map((c) => c.sessionId));
    for (const claim of claims) this.suspected.tell(claim);
    const wanted = claims.filter((claim) => this.interests.some((wants) => wants(claim))).map((c) => c.sessionId);
    if (wanted.length === 0) return;
    try {
      // The database's account of the ending (reason, time, who) is what devices are told.
      const confirmed = await this.source.ended(wanted);
      if (confirmed.length < wanted.length) this.logger.warn({ checked: wanted.length, confirmed: confirmed.length }, "ignored session endings the database does not know of");
      for (const event of confirmed) this.learn(event, "bus");
      for (const id of wanted) this.known.clearSuspect(id);
    } catch (error) {
      // Still suspect, so still checked in the database; the next read of the log settles them.
      this.logger.error({ err: error }, "could not confirm session endings claimed by another instance");
    }
  }

  /** The bus may have lost news: trust memory again only after reading the log from here on. */
  resync(): void {
    this.log.resynced();
    this.resynced.tell();
    void this.catchUp();
  }

  // Listeners.

  /** Endings as this instance first learns of them, from its own commits, the bus or the log; each once. */
  onEnded(listener: (event: SessionEnded, origin: EndingOrigin) => void): () => void {
    return this.ended.add(listener);
  }

  /** Users whose role changed, as this instance reads it in the log. */
  onRoleChanged(listener: (userId: string) => void): () => void {
    return this.roleChanged.add(listener);
  }

  /** Sessions opened here or (as claimed) on another instance; a lost start only delays a list. */
  onStarted(listener: (event: SessionStarted) => void): () => void {
    return this.started.add(listener);
  }

  /**
   * Another instance claims these ended, not yet confirmed: for caches, which drop what they
   * hold at once (a false claim costs them one read). Acting on an ending waits for `onEnded`.
   */
  onClaimed(listener: (claim: ClaimedEnding) => void): () => void {
    return this.suspected.add(listener);
  }

  /** Sessions refreshed or renamed, here or elsewhere; an echo of this instance's own may come twice. */
  onChanged(listener: (event: SessionChanged) => void): () => void {
    return this.changed.add(listener);
  }

  /** News may have been lost: listeners with their own catch-up (live lists of starts) run it. */
  onResync(listener: () => void): () => void {
    return this.resynced.add(listener);
  }

  /** Registers who would act on a claimed ending now, so that it is confirmed at once. */
  actsOn(wants: (claim: ClaimedEnding) => boolean): void {
    this.interests.push(wants);
  }

  // The auth check.

  /**
   * Whether a token of the session, issued at `issuedAtMs` (the shared clock), is still good as
   * far as memory knows. A token older than memory can vouch for is asked of the database: access
   * tokens are refused when they outlive the memory (auth/access-token.ts), and this keeps it so
   * should one ever get through.
   */
  verdict(sessionId: string, issuedAtMs: number): Verdict {
    if (this.known.isEnded(sessionId)) return "ended";
    if (!this.trusted() || this.known.isSuspect(sessionId) || !this.remembersSince(issuedAtMs)) return "ask-database";
    return "active";
  }

  /**
   * The role a token issued at `issuedAtMs` acts with, when the user's role changed since the
   * token's facts were read (then the token's claim is stale); undefined when the claim stands.
   * Only for a token whose verdict is "active", so every such change is still remembered.
   */
  roleOf(userId: string, issuedAtMs: number): Role | undefined {
    return this.known.roleOf(userId, issuedAtMs - ISSUE_RACE_SECONDS * 1000);
  }

  /** The shared clock the verdicts are given in, in ms. */
  now(): number {
    return this.clock.now();
  }

  /** Whether a session not known to have ended can be taken as active without asking the database. */
  trusted(): boolean {
    return this.options.hearsEveryInstance && this.log.current && this.bus.connected();
  }

  /** Whether news from other instances can arrive now. */
  busConnected(): boolean {
    return this.bus.connected();
  }

  get tracked(): number {
    return this.known.size;
  }

  /** Seconds since the log was last read in full. */
  get secondsBehind(): number {
    return this.log.secondsBehind;
  }

  /** Reads what the log has that this instance has not seen. */
  catchUp(): Promise<void> {
    return this.log.catchUp();
  }

  /** Entries read at load are the past: remembered, not told (nothing listens yet, nothing is news). */
  private apply(entries: Revocation[], late: boolean): void {
    for (const entry of entries) {
      if (entry.kind === "role") {
        this.known.setRole(entry.userId, entry.role, entry.id);
        if (late) this.roleChanged.tell(entry.userId);
      } else {
        if (late) this.learn(entry.ended, "log");
        else this.known.addEnded(entry.ended.sessionId);
      }
    }
  }

  private learn(event: SessionEnded, origin: EndingOrigin): void {
    if (this.known.addEnded(event.sessionId)) this.ended.tell(event, origin);
  }

  private tellChanged(events: SessionChanged[]): void {
    for (const event of events) this.changed.tell(event);
  }

  private tellStarted(events: SessionStarted[]): void {
    for (const event of events) if (this.recentStarts.add(event.sessionId)) this.started.tell(event);
  }

  /**
   * Whether every ending and role change that can concern a token issued then is still in memory:
   * each is kept `memorySeconds` from when it was learned, and those that concern the token were
   * learned no earlier than ISSUE_RACE_SECONDS before it was issued.
   */
  private remembersSince(issuedAtMs: number): boolean {
    return issuedAtMs - ISSUE_RACE_SECONDS * 1000 > this.clock.now() - this.options.memorySeconds * 1000;
  }
}
