import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import type { Logger } from "../logging/logger";
import { Answers } from "./answers";
import { withDeadline } from "./deadline";
import type { SessionEnded } from "../domain/session-ended";
import type { SessionStarted } from "../domain/session-started";
import { mustReachEveryone, type BusListener, type ClaimedEnding, type SessionChanged, type SessionEventBus, type SessionNews } from "../sessions/session-event-bus";

const CHANNEL = "session-service:revocations";
/** Subscribed to by every instance that answers: how many must answer a message (PUBSUB NUMSUB). */
const ANSWERING = "session-service:answering";
/** Where an instance is told that the others have heard its messages. */
const answersTo = (instanceId: string) => `session-service:heard:${instanceId}`;
// A Redis that stops answering (paused, partitioned, swapping) is down once a publish or a ping
// has waited this long: tokens are then checked in the database, and endings are answered anyway.
const DEADLINE_MS = 500;
// ioredis drops a command still unanswered after this: what a hung Redis can leave queued.
const COMMAND_TIMEOUT_MS = 4 * DEADLINE_MS;
// How often both connections are pinged, so a silent Redis is noticed with nothing to publish.
const WATCH_INTERVAL_MS = 1000;
// How long an answer waits, once Redis has taken the message, for every other instance to say it has read it.
const HEARD_WAIT_MS = 250;

/** On the channel; since 0.1.0 only optional fields were added, so instances of two versions understand each other. */
interface WireMessage {
  from: string;
  /**
   * The sender's count of its messages (added after 0.1.0): an instance that reads one answers
   * it on the sender's `answersTo` channel, and so every one before it.
   */
  seq?: number;
  events: (Omit<SessionEnded, "endedAt"> & { endedAt: string })[];
  /** New sessions; whoever lists them reads the rows from the database, so a forged one shows nothing. */
  started?: (Omit<SessionStarted, "startedAt"> & { startedAt: string })[];
  /** Sessions refreshed or renamed (added after 0.1.0, see [Unreleased] in CHANGELOG.md; older instances ignore it): only caches listen. */
  changed?: SessionChanged[];
  /** "Read the revocation log now": sent after a role change; it can only cause a read. */
  catchUp?: boolean;
}

/** Redis could not be reached at start-up: an operator's mistake, reported in one line. */
export class RedisUnreachable extends Error {}

const IGNORE: BusListener = { claimed: () => undefined, started: () => undefined, changed: () => undefined, resync: () => undefined };

/**
 * Fans news out to every instance through Redis pub/sub. What arrives is only claimed: the
 * listener (the revocation gate) believes the database alone, since anyone who can publish on
 * the channel could otherwise make devices log themselves out. Pub/sub is at-most-once, so a
 * reconnect raises a resync, after which the instance reads what it missed from the revocation log.
 */
export class RedisSessionEventBus implements SessionEventBus {
  private sent = 0;
  private readonly answers = new Answers();
  /** Messages from other instances to answer, once handed on: the latest of each sender. */
  private toAnswer = new Map<string, number>();
  /** Whether Redis has confirmed our subscription since the subscriber last (re)connected. */
  private subscribed = true;
  /** A command or ping missed its deadline, and none has answered since. */
  private stalled = false;
  private listener = IGNORE;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(
    private readonly instanceId: string,
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {}

  static async connect(url: string, logger: Logger): Promise<RedisSessionEventBus> {
    // Fail fast rather than queue: news is already committed, the revocation log covers a lost message.
    const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, commandTimeout: COMMAND_TIMEOUT_MS });
    const subscriber = new Redis(url, { lazyConnect: true });
    // Listen before connecting: without a listener ioredis prints each connection error with
    // its stack, and connect() itself rejects with only "Connection is closed.".
    const instanceId = randomUUID();
    const ownAnswers = answersTo(instanceId);
    let firstError: Error | undefined;
    const remember = (error: Error) => (firstError ??= error);
    publisher.on("error", remember);
    subscriber.on("error", remember);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(CHANNEL, ANSWERING, ownAnswers);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      const reason = (firstError ?? (error as Error)).message;
      throw new RedisUnreachable(`cannot reach Redis at ${redisAddress(url)} (REDIS_URL): ${reason}; check that it is running and the URL is right`);
    }
    publisher.off("error", remember);
    subscriber.off("error", remember);
    const bus = new RedisSessionEventBus(instanceId, publisher, subscriber, logger);
    publisher.on("error", (error) => logger.error({ err: error }, "redis publisher error"));
    subscriber.on("error", (error) => logger.error({ err: error }, "redis subscriber error"));
    subscriber.on("message", (channel, raw) => {
      if (channel === CHANNEL) bus.receive(raw);
      else if (channel === ownAnswers) bus.receiveAnswer(raw);
    });
    subscriber.on("close", () => (bus.subscribed = false));
    // Every "ready" after the first is a reconnect: messages may have been lost meanwhile.
    subscriber.on("ready", () => void bus.resubscribe());
    bus.watchdog = setInterval(() => void bus.watch(), WATCH_INTERVAL_MS).unref();
    return bus;
  }

  listen(listener: BusListener): void {
    this.listener = listener;
  }

  /**
   * True once every other instance has read the message: Redis counts the instances that answer
   * in the same transaction as it publishes, and each answers after handing the message on. So
   * the client's next request, to any instance, comes after that. Redis's answer to the publish
   * alone would not do: another instance can read the message after the client's next request
   * (2 endings in 1,000 in `npm run bench:across` before the answers were waited for).
   */
  async publish(news: SessionNews): Promise<boolean> {
    const seq = ++this.sent;
    const message: WireMessage = {
      from: this.instanceId,
      seq,
      events: news.ended.map((e) => ({ ...e, endedAt: e.endedAt.toISOString() })),
      ...(news.started.length > 0 && { started: news.started.map((s) => ({ ...s, startedAt: s.startedAt.toISOString() })) }),
      ...(news.rolesChanged.length > 0 && { catchUp: true }),
      ...(news.changed.length > 0 && { changed: news.changed }),
    };
    let failure: unknown;
    const publishing = this.publisher
      .multi()
      .pubsub("NUMSUB", ANSWERING)
      .publish(CHANNEL, JSON.stringify(message))
      .exec()
      .then((results) => {
        const error = results?.find(([e]) => e)?.[0];
        if (!results || error) throw error ?? new Error("the transaction was discarded");
        const [, [, answering]] = results[0] as [null, [string, number]];
        // This instance is one of them, unless its subscriber is away (then no answer can reach it).
        return Number(answering) - (this.subscribed ? 1 : 0);
      })
      .catch((error: unknown) => {
        failure = error;
        throw error;
      });
    const sent = withDeadline(publishing, DEADLINE_MS).then((answered) => {
      if (!answered) {
        this.stall();
        this.logger.error({ err: failure, deadlineMs: DEADLINE_MS }, "could not publish session news to redis; other instances will read endings from the revocation log");
      }
      return answered;
    });
    const heard = sent.then(async (answered) => {
      if (!answered) return false;
      const others = await publishing;
      if (others <= 0) return true;
      return this.answers.waitFor(seq, (by) => by.length >= others, HEARD_WAIT_MS);
    });
    // An ending or role change is waited for even while Redis counts as not answering: a stall
    // may be this process's own pause, with Redis fine, and only the answers say the others have
    // it. News that only lists show is sent all the same, but not waited for meanwhile.
    if (!this.stalled || mustReachEveryone(news)) return heard;
    return false;
  }

  connected(): boolean {
    return !this.stalled && this.subscribed && this.subscriber.status === "ready" && this.publisher.status === "ready";
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    this.listener = IGNORE;
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  /**
   * After a reconnect, "ready" comes before Redis has taken the subscription again: until it has,
   * messages published meanwhile never arrive. So the bus counts as connected, and the resync
   * (the catch-up from the database) starts, only once Redis has confirmed the subscription.
   */
  private async resubscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(CHANNEL, ANSWERING, answersTo(this.instanceId));
      this.subscribed = true;
      this.listener.resync();
    } catch (error) {
      this.logger.warn({ err: error }, "could not subscribe again after a Redis reconnect; will retry on the next one");
    }
  }

  /** Pings both connections; a miss stalls the bus, the first answer after one resyncs it. */
  private async watch(): Promise<void> {
    if (this.subscriber.status !== "ready" || this.publisher.status !== "ready") return;
    const answered = await withDeadline(Promise.all([this.publisher.ping(), this.subscriber.ping()]), DEADLINE_MS);
    if (!answered) return this.stall();
    if (!this.stalled) return;
    this.stalled = false;
    this.logger.info("redis answers again; reading what was missed from the revocation log");
    // What was published while it hung may never arrive.
    this.listener.resync();
  }

  private stall(): void {
    if (this.stalled) return;
    this.stalled = true;
    this.logger.warn({ deadlineMs: DEADLINE_MS }, "redis stopped answering: tokens are checked in the database until it answers again");
  }

  private receive(raw: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(raw) as WireMessage;
      if (message.from === this.instanceId) return;
    } catch (error) {
      this.logger.warn({ err: error }, "ignored a malformed session message");
      return;
    }
    if (message.catchUp === true) this.listener.resync();
    const started = (message.started ?? [])
      .filter((s) => typeof s.sessionId === "string" && typeof s.userId === "string")
      .map((s) => ({ sessionId: s.sessionId, userId: s.userId, startedAt: new Date(s.startedAt) }));
    if (started.length > 0) this.listener.started(started);
    const changed = (Array.isArray(message.changed) ? message.changed : [])
      .filter((c) => typeof c.sessionId === "string" && typeof c.userId === "string")
      .map((c) => ({ sessionId: c.sessionId, userId: c.userId }));
    if (changed.length > 0) this.listener.changed(changed);
    const claims: ClaimedEnding[] = (Array.isArray(message.events) ? message.events : [])
      .filter((e) => typeof e.sessionId === "string" && typeof e.userId === "string")
      .map((e) => ({ sessionId: e.sessionId, userId: e.userId }));
    if (claims.length > 0) this.listener.claimed(claims);
    if (typeof message.from === "string" && Number.isSafeInteger(message.seq)) this.willAnswer(message.from, message.seq!);
  }

  /** After what was read with it is handed on (this turn's other messages too): one answer per sender. */
  private willAnswer(from: string, seq: number): void {
    const first = this.toAnswer.size === 0;
    if ((this.toAnswer.get(from) ?? 0) < seq) this.toAnswer.set(from, seq);
    if (first) queueMicrotask(() => this.answer());
  }

  private answer(): void {
    const answers = this.toAnswer;
    this.toAnswer = new Map();
    // Unanswered, the sender holds an ending's answer until the log is read: nothing is lost.
    for (const [from, seq] of answers) this.publisher.publish(answersTo(from), `${this.instanceId} ${seq}`).catch(() => undefined);
  }

  private receiveAnswer(raw: string): void {
    const [by, seq] = raw.split(" ");
    if (by && Number.isSafeInteger(Number(seq))) this.answers.answered(by, Number(seq));
  }
}


/** host:port of a Redis URL, without the password it may carry. */
function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 6379}`;
  } catch {
    return "(unparseable URL)";
  }
}
