import { InvalidInput } from "../domain/errors";
import type { Outbox } from "./outbox";
import { setClaims } from "./security-events";
import type { SignalMetrics } from "./signal-metrics";
import type { StreamRow } from "./streams";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const LONG_POLL_MS = 30_000;
const DEFAULT_MAX_EVENTS = 100;
const MAX_EVENTS = 1000;
/** While a poll waits, events committed by other instances are looked for this often. */
const RECHECK_MS = 500;

export interface PollRequest {
  maxEvents: number;
  returnImmediately: boolean;
  ack: string[];
  setErrs: { jti: string; error: string }[];
}

export interface PollResponse {
  sets: Record<string, string>;
  moreAvailable: boolean;
}

/** RFC 8936 §2.4's request body, checked. */
export function pollRequestOf(raw: unknown): PollRequest {
  const body = (raw ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || Array.isArray(body)) throw new InvalidInput("The poll request is a JSON object.");
  const maxEvents = body.maxEvents ?? DEFAULT_MAX_EVENTS;
  if (!Number.isInteger(maxEvents) || (maxEvents as number) < 0) throw new InvalidInput("maxEvents must be a whole number of at least 0.", "maxEvents");
  const returnImmediately = body.returnImmediately ?? false;
  if (typeof returnImmediately !== "boolean") throw new InvalidInput("returnImmediately must be true or false.", "returnImmediately");
  const ack = body.ack ?? [];
  if (!Array.isArray(ack) || ack.some((j) => typeof j !== "string")) throw new InvalidInput("ack must be an array of jti strings.", "ack");
  const setErrs = body.setErrs ?? {};
  if (typeof setErrs !== "object" || setErrs === null || Array.isArray(setErrs)) throw new InvalidInput("setErrs must be an object keyed by jti.", "setErrs");
  return {
    maxEvents: Math.min(maxEvents as number, MAX_EVENTS),
    returnImmediately,
    // A jti we never issued (not a UUID) cannot name a waiting event: ignored, as RFC 8936 lets us.
    ack: (ack as string[]).filter((j) => UUID.test(j)),
    setErrs: Object.entries(setErrs as Record<string, { err?: unknown; description?: unknown }>)
      .filter(([jti]) => UUID.test(jti))
      .map(([jti, e]) => ({ jti, error: [e?.err, e?.description].filter((part) => typeof part === "string").join(": ") || "refused" })),
  };
}

export interface PollDeliveryOptions {
  kid: string;
  sign: (claims: Record<string, unknown>) => Promise<string>;
  /** Milliseconds by the database's clock. */
  now: () => number;
}

/**
 * Poll delivery (RFC 8936): a poll acknowledges what the receiver has (`ack`, `setErrs`), then
 * returns up to `maxEvents` waiting SETs, waiting up to 30 s for one unless `returnImmediately`.
 * An event stays until acknowledged, so one handed out and lost in transit comes again.
 */
export class PollDelivery {
  private readonly waiting = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly options: PollDeliveryOptions,
    private readonly metrics: SignalMetrics,
  ) {}

  /** Something may have been queued: waiting polls look again. */
  wake(): void {
    for (const resume of [...this.waiting]) resume();
  }

  /** Waiting polls answer now (with what they have), so shutdown does not wait 30 s. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  async poll(stream: StreamRow, request: PollRequest, cancelled: AbortSignal): Promise<PollResponse> {
    if (stream.delivery !== "poll") throw new InvalidInput("This stream delivers by push; it cannot be polled.", "stream_id");
    const { acknowledged, refused } = await this.outbox.acknowledge(stream.id, request.ack, request.setErrs);
    for (const kind of acknowledged) this.metrics.outcome(kind, "delivered");
    for (const kind of refused) this.metrics.outcome(kind, "refused");
    if (request.maxEvents === 0) return { sets: {}, moreAvailable: false };
    const waitUntil = Date.now() + (request.returnImmediately ? 0 : LONG_POLL_MS);
    for (;;) {
      const events = await this.outbox.due(stream.id, request.maxEvents + 1);
      if (events.length > 0 || Date.now() >= waitUntil || this.stopped || cancelled.aborted) {
        const handed = events.slice(0, request.maxEvents);
        const sets: Record<string, string> = {};
        for (const event of handed) {
          sets[event.jti] = await this.options.sign(setClaims(event, { issuer: stream.issuer, audience: stream.clientId }));
          if (event.attempts === 0) this.metrics.delivered("poll", (this.options.now() - new Date(event.createdAt).getTime()) / 1000);
        }
        await this.outbox.handedOut(
          stream.id,
          handed.map((e) => e.id),
          this.options.kid,
        );
        return { sets, moreAvailable: events.length > request.maxEvents };
      }
      await this.pause(Math.min(RECHECK_MS, waitUntil - Date.now()), cancelled);
    }
  }

  private pause(ms: number, cancelled: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        cancelled.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
      cancelled.addEventListener("abort", done);
    });
  }
}
