import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import type { Logger } from "../logging/logger";
import type { SessionEnded } from "../sessions/session-ended";
import type { SessionStarted } from "../sessions/session-started";
import { InProcessSessionEventBus } from "../sessions/session-event-bus";

const CHANNEL = "session-service:revocations";

interface WireMessage {
  from: string;
  events: (Omit<SessionEnded, "endedAt"> & { endedAt: string })[];
  /** New sessions; whoever lists them reads the rows from the database, so a forged one shows nothing. */
  started?: (Omit<SessionStarted, "startedAt"> & { startedAt: string })[];
  /** "Read the revocation log now": sent by a process that changed a role (user:create); it can only cause a read. */
  catchUp?: boolean;
}

/** A message's claim that a session ended; nothing in it is believed until the database says so. */
export interface ClaimedEnding {
  sessionId: string;
  userId: string;
}

/**
 * What the database says about the claimed endings this instance needs now (those it would push):
 * only those that really ended. The rest are left to the revocation log (see services.ts).
 */
export type ConfirmEndings = (claims: ClaimedEnding[]) => Promise<{ checked: number; confirmed: SessionEnded[] }>;

/** Redis could not be reached at start-up: an operator's mistake, reported in one line. */
export class RedisUnreachable extends Error {}

/**
 * Fans session endings out to every instance through Redis pub/sub. Pub/sub is at-most-once,
 * so a reconnect raises a resync, after which the instance reads what it missed from the revocation log.
 */
export class RedisSessionEventBus extends InProcessSessionEventBus {
  private readonly instanceId = randomUUID();
  /** Whether Redis has confirmed our subscription since the subscriber last (re)connected. */
  private subscribed = true;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly confirm: ConfirmEndings,
    private readonly logger: Logger,
  ) {
    super();
  }

  /**
   * Anyone who can publish on the channel could otherwise make devices log themselves out:
   * `confirm` checks each received ending against the database, which alone is believed.
   */
  static async connect(url: string, logger: Logger, confirm: ConfirmEndings): Promise<RedisSessionEventBus> {
    // Fail fast rather than queue: an ending is already committed, the revocation log covers a lost push.
    const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    const subscriber = new Redis(url, { lazyConnect: true });
    // Listen before connecting: without a listener ioredis prints each connection error with
    // its stack, and connect() itself rejects with only "Connection is closed.".
    let firstError: Error | undefined;
    const remember = (error: Error) => (firstError ??= error);
    publisher.on("error", remember);
    subscriber.on("error", remember);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(CHANNEL);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      const reason = (firstError ?? (error as Error)).message;
      throw new RedisUnreachable(`cannot reach Redis at ${redisAddress(url)} (REDIS_URL): ${reason}; check that it is running and the URL is right`);
    }
    publisher.off("error", remember);
    subscriber.off("error", remember);
    const bus = new RedisSessionEventBus(publisher, subscriber, confirm, logger);
    publisher.on("error", (error) => logger.error({ err: error }, "redis publisher error"));
    subscriber.on("error", (error) => logger.error({ err: error }, "redis subscriber error"));
    subscriber.on("message", (_channel, raw) => void bus.receive(raw));
    subscriber.on("close", () => (bus.subscribed = false));
    // Every "ready" after the first is a reconnect: messages may have been lost meanwhile.
    subscriber.on("ready", () => void bus.resubscribe());
    return bus;
  }

  override async publish(events: SessionEnded[]): Promise<void> {
    if (events.length === 0) return;
    this.deliver(events);
    const message: WireMessage = {
      from: this.instanceId,
      events: events.map((e) => ({ ...e, endedAt: e.endedAt.toISOString() })),
    };
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify(message));
    } catch (error) {
      this.logger.error({ err: error }, "could not publish session endings to redis; other instances will read them from the revocation log");
    }
  }

  override async publishStarted(event: SessionStarted): Promise<void> {
    this.deliverStarted(event);
    const message: WireMessage = { from: this.instanceId, events: [], started: [{ ...event, startedAt: event.startedAt.toISOString() }] };
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify(message));
    } catch (error) {
      this.logger.warn({ err: error }, "could not publish a new session to redis; other instances' live lists miss it until reloaded");
    }
  }

  /**
   * Asks every instance to read the revocation log at once (and to check tokens in the database
   * until it has): for changes made outside a running instance, such as a role change.
   */
  async publishCatchUp(): Promise<void> {
    const message: WireMessage = { from: this.instanceId, events: [], catchUp: true };
    await this.publisher.publish(CHANNEL, JSON.stringify(message));
  }

  override connected(): boolean {
    return this.subscribed && this.subscriber.status === "ready" && this.publisher.status === "ready";
  }

  override async close(): Promise<void> {
    await super.close();
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
      await this.subscriber.subscribe(CHANNEL);
      this.subscribed = true;
      this.resync();
    } catch (error) {
      this.logger.warn({ err: error }, "could not subscribe again after a Redis reconnect; will retry on the next one");
    }
  }

  private async receive(raw: string): Promise<void> {
    let claimed: ClaimedEnding[];
    try {
      const message = JSON.parse(raw) as WireMessage;
      if (message.from === this.instanceId) return;
      claimed = message.events
        .filter((e) => typeof e.sessionId === "string" && typeof e.userId === "string")
        .map((e) => ({ sessionId: e.sessionId, userId: e.userId }));
      if (message.catchUp === true) this.resync();
      for (const started of message.started ?? []) {
        if (typeof started.sessionId === "string" && typeof started.userId === "string") {
          this.deliverStarted({ sessionId: started.sessionId, userId: started.userId, startedAt: new Date(started.startedAt) });
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, "ignored a malformed session-ending message");
      return;
    }
    if (claimed.length === 0) return;
    try {
      // The database's account of the ending (reason, time, who) is what devices are told.
      const { checked, confirmed } = await this.confirm(claimed);
      if (confirmed.length < checked) this.logger.warn({ checked, confirmed: confirmed.length }, "ignored session endings the database does not know of");
      this.deliver(confirmed);
    } catch (error) {
      // The next read of the revocation log finds these once the database answers again.
      this.logger.error({ err: error }, "could not confirm session endings from redis");
    }
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
