import { randomUUID } from "node:crypto";
import { Client } from "pg";
import type { Logger } from "../logging/logger";
import { Answers } from "./answers";
import { withDeadline } from "./deadline";
import type { BusListener, ClaimedEnding, SessionChanged, SessionEventBus } from "../sessions/session-event-bus";
import type { SessionStarted } from "../domain/session-started";

/** The channel the database's own triggers notify on (migrations/1765987200000-postgres-bus.ts). */
export const NEWS_CHANNEL = "session_service_news";
/** The channel instances ask on whether the others have heard everything before (see `heardByOthers`). */
export const QUESTION_CHANNEL = "session_service_heard";
/** Where an instance is answered: its own channel, so only the asker is sent each answer. */
const answersTo = (instanceId: string) => `${QUESTION_CHANNEL}_${instanceId.replaceAll("-", "")}`;
/** Every instance's listening connection is named this and its own id, so each finds the others in pg_stat_activity. */
export const LISTENER_NAME = "session-service bus";
// A listening connection that stops answering for this long is down: tokens are then checked in
// the database until it answers again, as with Redis.
const DEADLINE_MS = 500;
const WATCH_INTERVAL_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 5000;
// How long an answer waits for every other instance to say it has heard the commit (see publish).
const HEARD_WAIT_MS = 250;

/**
 * The listening instances other than this one, and the question put to them in the same
 * statement: once each has answered, each has read every notification queued before it.
 * Alone, it asks nothing (and so notifies nothing).
 */
const ASK_OTHERS_SQL = `
  WITH others AS (
    SELECT application_name FROM pg_stat_activity
    WHERE datname = current_database() AND application_name LIKE '${LISTENER_NAME} %' AND pid <> pg_backend_pid())
  SELECT array(SELECT application_name FROM others) AS others,
         CASE WHEN EXISTS (SELECT 1 FROM others) THEN pg_notify('${QUESTION_CHANNEL}', $1) END AS asked`;

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

const IGNORE: BusListener = { claimed: () => undefined, started: () => undefined, changed: () => undefined, resync: () => undefined };

/**
 * Hears every instance's news through PostgreSQL's LISTEN/NOTIFY, where there is no Redis. The
 * news is sent by the database itself (triggers on the revocation log and on sessions), at
 * commit, whoever committed: another instance, `user:create`, psql. So `publish` sends no news:
 * it waits until every other instance says it has read it (`heardByOthers`). What arrives is a
 * claim, as from Redis; the gate confirms it in the database. NOTIFY is lost while the listening
 * connection is down: each reconnect raises a resync, and the log has the rest.
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
  /** Named in pg_stat_activity by its listener, so the others know whom to wait for. */
  private readonly id = randomUUID();
  private readonly answersChannel = answersTo(this.id);
  private asked = 0;
  /** The question in flight, and the next one that every commit meanwhile waits for. */
  private asking: Promise<void> | undefined;
  private nextAsking: Promise<void> | undefined;
  private readonly answers = new Answers();
  /** Questions from other instances to answer once what was read before them is handed on: the latest of each. */
  private toAnswer = new Map<string, number>();
  /** An answer is waiting for its turn on the connection: questions meanwhile go with it. */
  private answerDue = false;
  /** The listening connection's last query: the next waits for it (see `serially`). */
  private lastQuery: Promise<unknown> = Promise.resolve();

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
   * The database sent the news itself at the commit; this waits until every other listening
   * instance has read it, so the answer (and so the client's next request, to any instance)
   * comes after that: an ending is refused there, a login or refresh is in its lists. Hearing
   * this instance's own notification back would not do: each listener's connection is sent it
   * when PostgreSQL gets to that backend, and another instance's can be milliseconds behind.
   * False when it cannot tell: an instance did not answer within HEARD_WAIT_MS, or this one
   * cannot ask.
   */
  async publish(): Promise<boolean> {
    if (!this.connected()) return false;
    return withDeadline(this.heardByOthers(), HEARD_WAIT_MS);
  }

  /**
   * Settles once every other instance has read every notification committed before the call.
   * The question is itself a notification, queued after them, and each listener reads the queue
   * in order: an instance that answers it has heard them, and handed them on first. Commits
   * meanwhile share one question: the one in flight may have been queued before them, so they
   * wait for the next.
   */
  private heardByOthers(): Promise<void> {
    if (!this.asking) {
      this.asking = this.ask().finally(() => (this.asking = undefined));
      return this.asking;
    }
    this.nextAsking ??= this.asking
      .catch(() => undefined)
      .then(() => {
        this.nextAsking = undefined;
        return this.heardByOthers();
      });
    return this.nextAsking;
  }

  private async ask(): Promise<void> {
    const question = ++this.asked;
    const { rows } = await this.serially((client) => client.query<{ others: string[] }>(ASK_OTHERS_SQL, [`${this.id} ${question}`]));
    const others = rows[0].others.map((name) => name.slice(LISTENER_NAME.length + 1));
    if (others.length === 0) return;
    if (!(await this.answers.waitFor(question, (by) => others.every((id) => by.includes(id)), HEARD_WAIT_MS))) throw new Error("not every instance answered in time");
  }

  /** Another instance asks whether this one has heard everything before its question. */
  private askedBy(from: string, question: number): void {
    if ((this.toAnswer.get(from) ?? 0) < question) this.toAnswer.set(from, question);
    if (this.answerDue) return;
    this.answerDue = true;
    // Unanswered, the asker holds its answer until the log is read: nothing is lost.
    this.serially((client) => {
      // Taken now, not when asked: every question read by now is answered. The news read before
      // each was handed on in a microtask queued as it arrived, before any further read.
      const askers = [...this.toAnswer];
      this.toAnswer = new Map();
      this.answerDue = false;
      return client.query("SELECT pg_notify(channel, payload) FROM unnest($1::text[], $2::text[]) AS t(channel, payload)", [
        askers.map(([asker]) => answersTo(asker)),
        askers.map(([, asked]) => `${this.id} ${asked}`),
      ]);
    }).catch(() => undefined);
  }

  /**
   * Runs a query on the listening connection once the one before has settled: the watchdog's
   * ping, questions and answers share it, and pg is not to be handed a query while another waits.
   */
  private serially<T>(query: (client: Client) => Promise<T>): Promise<T> {
    const run = this.lastQuery.then(() => {
      if (!this.client) throw new Error("not listening");
      return query(this.client);
    });
    this.lastQuery = run.catch(() => undefined);
    return run;
  }

  private receiveQuestion(payload: string): void {
    const [from, question] = payload.split(" ");
    if (from && from !== this.id && Number.isSafeInteger(Number(question))) this.askedBy(from, Number(question));
  }

  private receiveAnswer(payload: string): void {
    const [by, question] = payload.split(" ");
    if (by && Number.isSafeInteger(Number(question))) this.answers.answered(by, Number(question));
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
    const client = new Client({ connectionString: this.url, application_name: `${LISTENER_NAME} ${this.id}`, query_timeout: DEADLINE_MS * 4 });
    // A connection that dies must not end the process; it is replaced.
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client));
    client.on("notification", (message) => {
      if (message.channel === NEWS_CHANNEL && message.payload) this.receive(message.payload);
      else if (message.channel === QUESTION_CHANNEL && message.payload) this.receiveQuestion(message.payload);
      else if (message.channel === this.answersChannel && message.payload) this.receiveAnswer(message.payload);
    });
    await client.connect();
    try {
      // Questions and answers need no durability: their commits do not wait for the disk.
      await client.query(`SET synchronous_commit = off; LISTEN ${NEWS_CHANNEL}; LISTEN ${QUESTION_CHANNEL}; LISTEN ${this.answersChannel}`);
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
    const answered = await withDeadline(this.serially((client) => client.query("SELECT 1")), DEADLINE_MS);
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
    } else if (Array.isArray(notice.s) && typeof notice.s[0] === "string" && typeof notice.s[1] === "string") {
      this.pendingStarts.push({ sessionId: notice.s[0], userId: notice.s[1], startedAt: new Date(notice.s[2]) });
    } else if (Array.isArray(notice.c) && typeof notice.c[0] === "string" && typeof notice.c[1] === "string") {
      this.pendingChanges.push({ sessionId: notice.c[0], userId: notice.c[1] });
    } else if (typeof notice.r === "string") {
      // A role change: read the log now, as Redis's catch-up message asks.
      this.listener.resync();
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
