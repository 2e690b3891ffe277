import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import type { RevocationEvent } from "../sessions/revocation-event";
import { InProcessRevocationBus } from "./revocation-bus";

const CHANNEL = "session-service:revocations";

interface WireMessage {
  from: string;
  events: { sessionId: string; userId: string; reason: RevocationEvent["reason"]; revokedAt: string }[];
}

/**
 * Fans revocations out to every instance through Redis pub/sub. Pub/sub is at-most-once,
 * so a reconnect raises a resync, after which the instance re-checks its sockets in the database.
 */
export class RedisRevocationBus extends InProcessRevocationBus {
  private readonly instanceId = randomUUID();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    super();
  }

  static async connect(url: string, log: (message: string, error?: unknown) => void): Promise<RedisRevocationBus> {
    // Fail fast rather than queue: a revocation is already committed, the sweep covers a lost push.
    const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    const subscriber = new Redis(url, { lazyConnect: true });
    const bus = new RedisRevocationBus(publisher, subscriber, log);
    publisher.on("error", (error) => log("redis publisher error", error));
    subscriber.on("error", (error) => log("redis subscriber error", error));
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(CHANNEL);
    subscriber.on("message", (_channel, raw) => bus.receive(raw));
    let connectedOnce = false;
    subscriber.on("ready", () => {
      if (connectedOnce) for (const listener of bus.resyncListeners) listener();
      connectedOnce = true;
    });
    connectedOnce = true;
    return bus;
  }

  override async publish(events: RevocationEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.deliver(events);
    const message: WireMessage = {
      from: this.instanceId,
      events: events.map((e) => ({ ...e, revokedAt: e.revokedAt.toISOString() })),
    };
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify(message));
    } catch (error) {
      this.log("could not publish revocations to redis; other instances will find them in their sweep", error);
    }
  }

  override async close(): Promise<void> {
    await super.close();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  private receive(raw: string): void {
    try {
      const message = JSON.parse(raw) as WireMessage;
      if (message.from === this.instanceId) return;
      this.deliver(message.events.map((e) => ({ ...e, revokedAt: new Date(e.revokedAt) })));
    } catch (error) {
      this.log("ignored a malformed revocation message", error);
    }
  }
}
