import { Client } from "pg";
import type { Logger } from "../logging/logger";
import { withDeadline } from "./deadline";
import type { BusListener, ClaimedEnding, SessionChanged, SessionEventBus, SessionNews } from "../sessions/session-event-bus";
import type { SessionStarted } from "../domain/session-started";
import { RecentIds } from "../sessions/revocation/recent-ids";

/** The channel the database's own triggers notify on (migrations/1765987200000-postgres-bus.ts). */
export const NEWS_CHANNEL = "session_service_news";
// A listening connection that stops answering for this long is down: tokens are then checked in
// the database until it answers again, as with Redis.
const DEADLINE_MS = 500;
const WATCH_INTERVAL_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 5000;
// How long an ending's answer waits for its own notification to come back (see publish).
const ECHO_WAIT_MS = 250;

/**
 * What a trigger sends: an ending `e: [sessionId, userId]`, a role change `r: userId`, a start
 * `s: [sessionId, userId, startedAt]`, a session refreshed or renamed `c: [sessionId, userId]`.
 */
interface Notice {
  e?: [string, string];
  r?: string;
  s?: [string, string, string];
  c?: [string, string];
}

/** What a notification is of: its kind (a Notice's key) and session, or user for a role change. */
const echoKey = (kind: "e" | "s" | "c" | "r", id: string) => `${kind}:${id}`;

const IGNORE: BusListener = { claimed: () => undefined, started: () => undefined, changed: () => undefined, resync: () => undefined };

/**
 * Hears every instance's news through PostgreSQL's LISTEN/NOTIFY, where there is no Redis. The
 * news is sent by the database itself (triggers on the revocation log and on sessions), at
 * commit, whoever committed: another instance, `user:create`, psql. So `publish` sends nothing:
 * it waits for the commit's own notifications to come back. What arrives is a claim, as from
 * Redis; the gate confirms it in the database. NOTIFY is
 * lost while the listening connection is down: each reconnect raises a resync, and the log has
 * the rest.
 */
export class PostgresSessionEventBus implements SessionEventBus {
  private listener = IGNORE;
  private client: Client | undefined;
  private listening = false;
  private stalled = false;
  private closed = false;
  private reconnecting: Promise<void> | undefined;
  private reconnectDelayMs = 250;
  private watchdog: NodeJS.Timeout | undefined;
  private pendingClaims: ClaimedEnding[] = [];
  private pendingStarts: SessionStarted[] = [];
  private pendingChanges: SessionChanged[] = [];
  private flushScheduled = false;
  /** News this instance committed whose notification has not come back yet (by `echoKey`), each with its waiter. */
  private readonly awaitedEchoes = new Map<string, { left: Set<string>; done: () => void }>();
  /** News heard lately: a commit's notifications can arrive before its publish asks for them. */
  private readonly heard = new RecentIds(20_000);

  private constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  /** Listening before it returns: the database has just answered at start-up, so this connects. */
  static async connect(url: string, logger: Logger): Promise<PostgresSessionEventBus> {
    const bus = new PostgresSessionEventBus(url, logger);
    await bus.open();
    bus.watchdog = setInterval(() => void bus.watch(), WATCH_INTERVAL_MS).unref();
    return bus;
  }

  listen(listener: BusListener): void {
    this.listener = listener;
  }

  /**
   * The database sends the news itself; this waits until this instance's own listener hears it.
   * PostgreSQL signals every listener at the same commit, so by then the other instances have
   * been told too, and the answer (and so the client's next request, to any instance) comes
   * after that: an ending is refused there, a login or refresh is in its lists. False when it
   * cannot tell: no echo within ECHO_WAIT_MS, or no listener of its own to hear one.
   */
  async publish(news: SessionNews): Promise<boolean> {
    if (!this.connected()) return false;
    const keys = [
      ...news.ended.map((e) => echoKey("e", e.sessionId)),
      ...news.started.map((s) => echoKey("s", s.sessionId)),
      ...news.changed.map((c) => echoKey("c", c.sessionId)),
      ...news.rolesChanged.map((userId) => echoKey("r", userId)),
    ];
    // Taken, not just looked up: a session is refreshed, a user's role changed, more than once.
    const left = new Set(keys.filter((key) => !this.heard.take(key)));
    if (left.size === 0) return true;
    const echoed = new Promise<void>((done) => {
      const waiter = { left, done };
      for (const key of left) this.awaitedEchoes.set(key, waiter);
    });
    const heard = await withDeadline(echoed, ECHO_WAIT_MS);
    for (const key of left) this.awaitedEchoes.delete(key);
    return heard;
  }

  connected(): boolean {
    return this.listening && !this.stalled;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    this.listener = IGNORE;
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: "session-service bus", query_timeout: DEADLINE_MS * 4 });
    // A connection that dies must not end the process; it is replaced.
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client));
    client.on("notification", (message) => {
      if (message.channel === NEWS_CHANNEL && message.payload) this.receive(message.payload);
    });
    await client.connect();
    try {
      await client.query(`LISTEN ${NEWS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.listening = true;
    this.stalled = false;
  }

  private lost(client: Client, error?: Error): void {
    if (client !== this.client || this.closed) return;
    if (this.listening) this.logger.warn({ err: error }, "the PostgreSQL connection that listens for other instances' news was lost; tokens are checked in the database until it is back");
    this.listening = false;
    this.client = undefined;
    void client.end().catch(() => undefined);
  }

  /** Reconnects a lost listener; pings a live one, so a hung database is noticed with nothing to hear. */
  private async watch(): Promise<void> {
    if (this.closed) return;
    if (!this.listening) {
      this.reconnecting ??= this.reconnect().finally(() => (this.reconnecting = undefined));
      return;
    }
    const client = this.client!;
    const answered = await withDeadline(client.query("SELECT 1"), DEADLINE_MS);
    if (!answered) {
      if (!this.stalled) this.logger.warn({ deadlineMs: DEADLINE_MS }, "the PostgreSQL listener stopped answering: tokens are checked in the database until it answers again");
      this.stalled = true;
      return;
    }
    if (!this.stalled) return;
    this.stalled = false;
    this.logger.info("the PostgreSQL listener answers again; reading what was missed from the revocation log");
    this.listener.resync();
  }

  private async reconnect(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.reconnectDelayMs));
    if (this.closed) return;
    try {
      await this.open();
      this.reconnectDelayMs = 250;
      this.logger.info("listening for other instances' news again; reading what was missed from the revocation log");
      // Whatever was notified while nobody listened is lost: the log has it.
      this.listener.resync();
    } catch (error) {
      this.reconnectDelayMs = Math.min(MAX_RECONNECT_DELAY_MS, this.reconnectDelayMs * 2);
      this.logger.debug({ err: error }, "could not listen on PostgreSQL yet");
    }
  }

  private receive(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (Array.isArray(notice.e) && typeof notice.e[0] === "string" && typeof notice.e[1] === "string") {
      this.pendingClaims.push({ sessionId: notice.e[0], userId: notice.e[1] });
      this.echoed(echoKey("e", notice.e[0]));
    } else if (Array.isArray(notice.s) && typeof notice.s[0] === "string" && typeof notice.s[1] === "string") {
      this.pendingStarts.push({ sessionId: notice.s[0], userId: notice.s[1], startedAt: new Date(notice.s[2]) });
      this.echoed(echoKey("s", notice.s[0]));
    } else if (Array.isArray(notice.c) && typeof notice.c[0] === "string" && typeof notice.c[1] === "string") {
      this.pendingChanges.push({ sessionId: notice.c[0], userId: notice.c[1] });
      this.echoed(echoKey("c", notice.c[0]));
    } else if (typeof notice.r === "string") {
      // A role change: read the log now, as Redis's catch-up message asks.
      this.listener.resync();
      this.echoed(echoKey("r", notice.r));
      return;
    } else {
      return;
    }
    // Notifications read together are handed on as one batch, so a logout of a thousand
    // sessions is a confirming query per read, not a thousand; and before anything else runs,
    // so a request read in the same turn of the event loop already finds the ending claimed.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private echoed(key: string): void {
    const waiter = this.awaitedEchoes.get(key);
    if (!waiter) {
      this.heard.add(key);
      return;
    }
    this.awaitedEchoes.delete(key);
    waiter.left.delete(key);
    if (waiter.left.size === 0) waiter.done();
  }

  private flush(): void {
    this.flushScheduled = false;
    const claims = this.pendingClaims;
    const starts = this.pendingStarts;
    const changes = this.pendingChanges;
    this.pendingClaims = [];
    this.pendingStarts = [];
    this.pendingChanges = [];
    if (starts.length > 0) this.listener.started(starts);
    if (changes.length > 0) this.listener.changed(changes);
    if (claims.length > 0) this.listener.claimed(claims);
  }
}
