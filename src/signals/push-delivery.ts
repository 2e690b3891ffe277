import type { Logger } from "../logging/logger";
import type { ClaimedStream, Outbox, QueuedEvent } from "./outbox";
import { setClaims } from "./security-events";
import type { SignalMetrics } from "./signal-metrics";

/** RFC 8935 gives no deadline; ours, so a receiver that hangs holds a stream for no longer. */
export const PUSH_DEADLINE_MS = 5000;
/** Events on other instances' streams, or committed by psql, are found by looking this often. */
const LOOK_INTERVAL_MS = 1000;
/** Streams delivered side by side by one instance. */
const STREAMS_AT_ONCE = 4;
/** One stream's turn before it is given back (the lease is renewed with each event). */
const TURN_MS = 10_000;
const MAX_BACKOFF_SECONDS = 30;
/** Delivered events are removed in one statement per batch, or sooner when pushes are slow (the lease lasts 15 s). */
const FLUSH_AFTER_MS = 2000;
const MAX_ERROR_BODY_BYTES = 4096;

export interface PushDeliveryOptions {
  sign: (claims: Record<string, unknown>) => Promise<string>;
  retryHours: number;
  /** Milliseconds by the database's clock, which stamped the events. */
  now: () => number;
}

/** Full jitter over an exponential step, so receivers coming back are not hit by every stream at once. */
export function backoffSeconds(attempts: number, random = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_SECONDS, 2 ** attempts);
  return Math.max(0.5, ceiling * random());
}

async function bodyText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_ERROR_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).toString("utf8").slice(0, MAX_ERROR_BODY_BYTES);
}

/** RFC 8935 §2.3's error body: its code, and one line for last_error. */
function refusalOf(body: string): { err?: string; why: string } {
  try {
    const parsed = JSON.parse(body) as { err?: unknown; description?: unknown };
    if (typeof parsed.err === "string") return { err: parsed.err, why: typeof parsed.description === "string" ? `${parsed.err}: ${parsed.description}` : parsed.err };
  } catch {
    // not JSON: said as it came
  }
  return { why: body.trim().slice(0, 200) || "400 without an error body" };
}

type Sent = { outcome: "delivered" } | { outcome: "refused"; why: string } | { outcome: "retry"; problem: string };

/** The events of one stream answered since the last write, to remove in one statement. */
class Answered {
  ids: string[] = [];
  refusal: string | null = null;
  since = Date.now();

  add(id: string, refusal: string | null): void {
    this.ids.push(id);
    if (refusal) this.refusal = refusal;
  }
}

/**
 * Push delivery (RFC 8935): one POST per SET, in order per stream, 202 done; a 400 is the
 * receiver's final word on that SET; anything else (another status, a redirect, which is never
 * followed, a timeout, a refused connection) is retried with back-off until SIGNALS_RETRY_HOURS.
 * Woken after every local commit that may have queued events, and every second for the rest.
 */
export class PushDelivery {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastWarnedAt = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly options: PushDeliveryOptions,
    private readonly metrics: SignalMetrics,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), LOOK_INTERVAL_MS).unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Something may be due: deliver now, or right after the round in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((error) => {
        // Once a minute at most: with the database out of reach this fails every second.
        if (Date.now() - this.lastWarnedAt < 60_000) return;
        this.lastWarnedAt = Date.now();
        this.logger.warn({ err: error }, "security event delivery failed; trying again every second");
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async round(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.outbox.claimPushStreams(STREAMS_AT_ONCE);
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((stream) => this.deliverStream(stream)));
    }
  }

  private async deliverStream(stream: ClaimedStream): Promise<void> {
    const turnEnds = Date.now() + TURN_MS;
    let answered = new Answered();
    const flush = async () => {
      if (answered.ids.length) await this.outbox.delivered(stream.id, answered.ids, answered.refusal);
      answered = new Answered();
    };
    while (!this.stopped && Date.now() < turnEnds) {
      const events = await this.outbox.due(stream.id, 50);
      if (events.length === 0) break;
      for (const event of events) {
        const sent = await this.send(stream, event);
        if (sent.outcome === "retry") {
          await flush();
          await this.fail(stream, event, sent.problem);
          return;
        }
        answered.add(event.id, sent.outcome === "refused" ? `refused ${event.jti}: ${sent.why}` : null);
        if (Date.now() - answered.since > FLUSH_AFTER_MS) await flush();
        if (this.stopped) break;
      }
      await flush();
    }
    await this.outbox.release(stream.id);
  }

  private async fail(stream: ClaimedStream, event: QueuedEvent, problem: string): Promise<void> {
    const wait = backoffSeconds(event.attempts);
    await this.outbox.failed(stream.id, event.id, problem, wait);
    this.metrics.outcome(event.kind, "failed");
    this.logger.info({ stream: stream.id, jti: event.jti, problem, retryInSeconds: Math.round(wait * 10) / 10 }, "a security event push failed; retrying");
  }
  private async send(stream: ClaimedStream, event: QueuedEvent): Promise<Sent> {
    const ageMs = this.options.now() - new Date(event.createdAt).getTime();
    if (ageMs > this.options.retryHours * 3_600_000) {
      await this.outbox.expired(stream.id, event.id, `event ${event.jti} dropped: not delivered within ${this.options.retryHours} h`);
      this.metrics.outcome(event.kind, "expired");
      return { outcome: "delivered" };
    }
    const token = await this.options.sign(setClaims(event, { issuer: stream.issuer, audience: stream.clientId }));
    let problem: string;
    try {
      const response = await fetch(stream.endpointUrl, {
        method: "POST",
        headers: {
          "content-type": "application/secevent+jwt",
          accept: "application/json",
          ...(stream.authorizationHeader ? { authorization: stream.authorizationHeader } : {}),
        },
        body: token,
        redirect: "manual",
        signal: AbortSignal.timeout(PUSH_DEADLINE_MS),
      });
      if (response.status >= 200 && response.status < 300) {
        await response.body?.cancel().catch(() => undefined);
        this.metrics.outcome(event.kind, "delivered");
        this.metrics.delivered("push", (this.options.now() - new Date(event.createdAt).getTime()) / 1000);
        return { outcome: "delivered" };
      }
      if (response.status === 400) {
        const { err, why } = refusalOf(await bodyText(response));
        // A receiver that has not yet fetched a key new to the JWKS (an instance just started, a
        // rotation) refuses with invalid_key for as long as its cache says: that passes, so it is
        // tried again rather than lost.
        if (err === "invalid_key") return { outcome: "retry", problem: `refused for now: ${why}` };
        this.metrics.outcome(event.kind, "refused");
        this.logger.warn({ stream: stream.id, jti: event.jti, why }, "a receiver refused a security event");
        return { outcome: "refused", why };
      }
      await response.body?.cancel().catch(() => undefined);
      problem = response.status >= 300 && response.status < 400 ? `HTTP ${response.status} (redirects are not followed)` : `HTTP ${response.status}`;
    } catch (error) {
      const name = (error as Error).name;
      problem = name === "TimeoutError" ? `no answer within ${PUSH_DEADLINE_MS / 1000} s` : `cannot reach the endpoint (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`;
    }
    return { outcome: "retry", problem };
  }
}
