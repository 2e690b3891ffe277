import type { Registry } from "prom-client";
import type { Queryable } from "../db/queryable";
import type { Logger } from "../logging/logger";
import { Outbox } from "./outbox";
import { PollDelivery } from "./poll-delivery";
import { PublishedKeys } from "./published-keys";
import { PushDelivery } from "./push-delivery";
import { SignalReceivers } from "./receivers";
import { EVENT_TYPES, REQUESTABLE_KINDS } from "./security-events";
import { SignalMetrics } from "./signal-metrics";
import type { SignalSigningKey } from "./signing-key";
import { POLL, PUSH, SignalStreams } from "./streams";

/** Where the SSF endpoints are served, under the issuer. */
export const SSF_PATHS = {
  configuration: "/.well-known/ssf-configuration",
  jwks: "/.well-known/jwks.json",
  token: "/oauth/token",
  streams: "/ssf/streams",
  status: "/ssf/status",
  addSubject: "/ssf/subjects/add",
  removeSubject: "/ssf/subjects/remove",
  verification: "/ssf/verify",
  /** Followed by the stream id: each poll stream's endpoint_url. */
  poll: "/ssf/poll/",
} as const;

export interface TransmitterOptions {
  insecureHosts: readonly string[];
  retryHours: number;
  /** Milliseconds by the database's clock. */
  now: () => number;
}

/**
 * The OpenID Shared Signals Framework 1.0 transmitter: receivers and their tokens, their streams,
 * the outbox's push and poll delivery, and the keys, wired together. Its HTTP face is
 * server/ssf-routes.ts; administrators manage receivers through GraphQL.
 */
export class SignalTransmitter {
  readonly receivers: SignalReceivers;
  readonly streams: SignalStreams;
  readonly polls: PollDelivery;
  readonly keys: PublishedKeys;
  private readonly push: PushDelivery;
  private readonly outbox: Outbox;
  private readonly metrics: SignalMetrics;
  private issuerUrl: string | undefined;

  private readonly retryHours: number;

  constructor(db: Queryable, key: SignalSigningKey, options: TransmitterOptions, registry: Registry, logger: Logger) {
    this.retryHours = options.retryHours;
    const outbox = (this.outbox = new Outbox(db));
    const metrics = (this.metrics = new SignalMetrics(registry, () => outbox.pendingByStream()));
    this.receivers = new SignalReceivers(db);
    this.streams = new SignalStreams(db, { insecureHosts: options.insecureHosts, issuer: () => this.issuer }, () => this.queued());
    this.keys = new PublishedKeys(db, key);
    this.push = new PushDelivery(outbox, { sign: key.sign, retryHours: options.retryHours, now: options.now }, metrics, logger.child({ component: "signals" }));
    this.polls = new PollDelivery(outbox, { kid: key.kid, sign: key.sign, now: options.now }, metrics);
  }

  /** The issuer is the public origin, known once the port is (PUBLIC_URL, or http://localhost:<PORT>). */
  get issuer(): string {
    if (!this.issuerUrl) throw new Error("the transmitter has not started");
    return this.issuerUrl;
  }

  async start(issuer: string): Promise<void> {
    this.issuerUrl = issuer.replace(/\/$/, "");
    await this.keys.start();
    this.push.start();
  }

  async stop(): Promise<void> {
    this.polls.stop();
    this.keys.stop();
    await this.push.stop();
  }

  /** Drops events that waited longer than SIGNALS_RETRY_HOURS on any stream; how many (for the sweeper). */
  async purgeExpired(batch: number): Promise<number> {
    const dropped = await this.outbox.purgeOlderThan(this.retryHours, batch);
    for (const kind of dropped) this.metrics.outcome(kind, "expired");
    return dropped.length;
  }

  /** Events may have been queued (a commit on this instance, a stream change): deliver now. */
  queued(): void {
    this.push.wake();
    this.polls.wake();
  }

  /** SSF 1.0 §7.1's transmitter configuration metadata. */
  configuration(): Record<string, unknown> {
    const at = (path: string) => `${this.issuer}${path}`;
    return {
      spec_version: "1_0",
      issuer: this.issuer,
      jwks_uri: at(SSF_PATHS.jwks),
      delivery_methods_supported: [PUSH, POLL],
      configuration_endpoint: at(SSF_PATHS.streams),
      status_endpoint: at(SSF_PATHS.status),
      add_subject_endpoint: at(SSF_PATHS.addSubject),
      remove_subject_endpoint: at(SSF_PATHS.removeSubject),
      verification_endpoint: at(SSF_PATHS.verification),
      authorization_schemes: [{ spec_urn: "urn:ietf:rfc:6749" }],
      default_subjects: "ALL",
      // Not part of SSF's metadata, but where a receiver gets the token it asks for (RFC 8414's name).
      token_endpoint: at(SSF_PATHS.token),
      events_supported: REQUESTABLE_KINDS.map((kind) => EVENT_TYPES[kind]),
    };
  }

  pollEndpointOf(streamId: string): string {
    return `${this.issuer}${SSF_PATHS.poll}${streamId}`;
  }
}
