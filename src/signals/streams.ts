import { normalizeEmail } from "../accounts/email-address";
import type { Queryable } from "../db/queryable";
import { InvalidInput, NotFound } from "../domain/errors";
import type { ReceiverCaller } from "./receivers";
import { EVENT_TYPES, kindOfUri, REQUESTABLE_KINDS, type EventKind } from "./security-events";

export const PUSH = "urn:ietf:rfc:8935";
export const POLL = "urn:ietf:rfc:8936";
// The RISC-era names some receivers still send for the same two methods.
const PUSH_ALIASES = [PUSH, "https://schemas.openid.net/secevent/risc/delivery-method/push"];
const POLL_ALIASES = [POLL, "https://schemas.openid.net/secevent/risc/delivery-method/poll"];
export type StreamStatus = "enabled" | "paused" | "disabled";
const STATUSES: readonly StreamStatus[] = ["enabled", "paused", "disabled"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_URL_LENGTH = 2048;
const MAX_TEXT_LENGTH = 1000;

/** A stream as the database holds it. */
export interface StreamRow {
  id: string;
  /** The issuer its receiver was told when it was created; its events carry it whichever instance sends them. */
  issuer: string;
  receiverId: string;
  clientId: string;
  status: StreamStatus;
  statusReason: string | null;
  delivery: "push" | "poll";
  endpointUrl: string | null;
  authorizationHeader: string | null;
  eventsRequested: string[];
  eventsDelivered: EventKind[];
  description: string | null;
  createdAt: Date;
  lastDeliveredAt: Date | null;
  lastError: string | null;
  pending: number;
}

/** What the receiver may set (SSF 1.0 §8.1.1's receiver-supplied properties). */
interface ReceiverSupplied {
  delivery: "push" | "poll";
  endpointUrl: string | null;
  authorizationHeader: string | null;
  eventsRequested: string[];
  description: string | null;
}

type Json = Record<string, unknown>;

const STREAM_COLUMNS = `s.id, s.issuer, s.receiver_id, r.client_id, s.status, s.status_reason, s.delivery, s.endpoint_url, s.authorization_header,
  s.events_requested, s.events_delivered, s.description, s.created_at, s.last_delivered_at, s.last_error,
  (SELECT count(*) FROM signal_outbox o WHERE o.stream_id = s.id)::int AS pending`;

function toStream(r: any): StreamRow {
  return {
    id: r.id,
    issuer: r.issuer,
    receiverId: r.receiver_id,
    clientId: r.client_id,
    status: r.status,
    statusReason: r.status_reason,
    delivery: r.delivery,
    endpointUrl: r.endpoint_url,
    authorizationHeader: r.authorization_header,
    eventsRequested: r.events_requested,
    eventsDelivered: r.events_delivered,
    description: r.description,
    createdAt: r.created_at,
    lastDeliveredAt: r.last_delivered_at,
    lastError: r.last_error,
    pending: r.pending,
  };
}

function object(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidInput(`${what} must be a JSON object.`, what);
  return value as Json;
}

function text(value: unknown, what: string, max = MAX_TEXT_LENGTH): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length > max) throw new InvalidInput(`${what} must be a string of at most ${max} characters.`, what);
  return value;
}

function streamIdOf(value: unknown): string {
  if (typeof value !== "string" || !UUID.test(value)) throw new NotFound("Stream");
  return value.toLowerCase();
}

export interface StreamRules {
  /** Hosts whose push endpoints may be plain http (SIGNALS_INSECURE_HOSTS). */
  insecureHosts: readonly string[];
  /** This instance's issuer, given to the streams it creates. */
  issuer: () => string;
}

/**
 * SSF 1.0 §8 for one receiver's streams: configuration (create, read, update, replace, delete),
 * status, subjects and verification. Every change of status, and every verification request,
 * puts an SSF event in the stream's outbox in the same statement as the change.
 */
export class SignalStreams {
  constructor(
    private readonly db: Queryable,
    private readonly rules: StreamRules,
    /** Told when a stream has something new to deliver. */
    private readonly queued: () => void,
  ) {}

  private pushEndpoint(raw: unknown): string {
    const given = text(raw, "delivery.endpoint_url", MAX_URL_LENGTH);
    if (!given) throw new InvalidInput("A push stream needs delivery.endpoint_url.", "delivery.endpoint_url");
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new InvalidInput("delivery.endpoint_url is not a URL.", "delivery.endpoint_url");
    }
    if (url.username || url.password) throw new InvalidInput("delivery.endpoint_url must not carry credentials; use delivery.authorization_header.", "delivery.endpoint_url");
    const insecureAllowed = this.rules.insecureHosts.includes(url.host.toLowerCase()) || this.rules.insecureHosts.includes(url.hostname.toLowerCase());
    if (url.protocol !== "https:" && !(url.protocol === "http:" && insecureAllowed)) {
      throw new InvalidInput("delivery.endpoint_url must be an https URL.", "delivery.endpoint_url");
    }
    return url.toString();
  }

  /** The receiver-supplied properties of a request body; what is absent comes from `current` (PATCH) or defaults (POST, PUT). */
  private receiverSupplied(body: Json, current?: ReceiverSupplied): ReceiverSupplied {
    let delivery = current?.delivery ?? "push";
    let endpointUrl = current?.endpointUrl ?? null;
    let authorizationHeader = current?.authorizationHeader ?? null;
    if (body.delivery !== undefined || !current) {
      // SSF 1.0 §8.1.1.1: a stream created without `delivery` is polled.
      const given = object(body.delivery ?? { method: POLL }, "delivery");
      if (PUSH_ALIASES.includes(given.method as string)) {
        delivery = "push";
        endpointUrl = this.pushEndpoint(given.endpoint_url);
        authorizationHeader = text(given.authorization_header, "delivery.authorization_header");
      } else if (POLL_ALIASES.includes(given.method as string)) {
        delivery = "poll";
        endpointUrl = null;
        authorizationHeader = null;
      } else {
        throw new InvalidInput(`delivery.method must be ${PUSH} (push) or ${POLL} (poll).`, "delivery.method");
      }
    }
    let eventsRequested = current?.eventsRequested ?? REQUESTABLE_KINDS.map((kind) => EVENT_TYPES[kind]);
    if (body.events_requested !== undefined) {
      if (!Array.isArray(body.events_requested) || body.events_requested.some((e) => typeof e !== "string" || e.length > MAX_URL_LENGTH)) {
        throw new InvalidInput("events_requested must be an array of event type URIs.", "events_requested");
      }
      eventsRequested = [...new Set(body.events_requested as string[])];
    }
    const description = body.description !== undefined ? text(body.description, "description") : (current?.description ?? null);
    return { delivery, endpointUrl, authorizationHeader, eventsRequested, description };
  }

  private static delivered(requested: string[]): EventKind[] {
    return requested.map(kindOfUri).filter((kind): kind is EventKind => kind !== undefined && (REQUESTABLE_KINDS as readonly string[]).includes(kind));
  }

  async create(caller: ReceiverCaller, rawBody: unknown): Promise<StreamRow> {
    const wanted = this.receiverSupplied(object(rawBody, "body"));
    const rows = await this.db.query(
      `INSERT INTO signal_streams (receiver_id, issuer, delivery, endpoint_url, authorization_header, events_requested, events_delivered, description)
       VALUES ($1, $8, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [caller.receiverId, wanted.delivery, wanted.endpointUrl, wanted.authorizationHeader, wanted.eventsRequested, SignalStreams.delivered(wanted.eventsRequested), wanted.description, this.rules.issuer()],
    );
    return this.get(caller, rows[0].id);
  }

  /** One of the caller's streams; NOT_FOUND for another receiver's, as for none. */
  async get(caller: ReceiverCaller, rawId: unknown): Promise<StreamRow> {
    const rows = await this.db.query(`SELECT ${STREAM_COLUMNS} FROM signal_streams s JOIN signal_receivers r ON r.id = s.receiver_id WHERE s.id = $1 AND s.receiver_id = $2`, [
      streamIdOf(rawId),
      caller.receiverId,
    ]);
    if (!rows[0]) throw new NotFound("Stream");
    return toStream(rows[0]);
  }

  async list(caller: ReceiverCaller): Promise<StreamRow[]> {
    const rows = await this.db.query(`SELECT ${STREAM_COLUMNS} FROM signal_streams s JOIN signal_receivers r ON r.id = s.receiver_id WHERE s.receiver_id = $1 ORDER BY s.created_at, s.id`, [
      caller.receiverId,
    ]);
    return rows.map(toStream);
  }

  /** Every receiver's streams, for administrators. */
  async ofReceivers(receiverIds: string[]): Promise<StreamRow[]> {
    if (receiverIds.length === 0) return [];
    const rows = await this.db.query(`SELECT ${STREAM_COLUMNS} FROM signal_streams s JOIN signal_receivers r ON r.id = s.receiver_id WHERE s.receiver_id = ANY($1) ORDER BY s.created_at, s.id`, [
      receiverIds,
    ]);
    return rows.map(toStream);
  }

  /** PATCH (`replace` false: absent properties stay) or PUT (`replace` true: absent ones return to their defaults). */
  async update(caller: ReceiverCaller, rawBody: unknown, replace: boolean): Promise<StreamRow> {
    const body = object(rawBody, "body");
    const current = await this.get(caller, body.stream_id);
    const wanted = this.receiverSupplied(body, replace ? undefined : current);
    await this.db.query(
      `UPDATE signal_streams SET delivery = $3, endpoint_url = $4, authorization_header = $5, events_requested = $6, events_delivered = $7, description = $8
        WHERE id = $1 AND receiver_id = $2`,
      [current.id, caller.receiverId, wanted.delivery, wanted.endpointUrl, wanted.authorizationHeader, wanted.eventsRequested, SignalStreams.delivered(wanted.eventsRequested), wanted.description],
    );
    this.queued();
    return this.get(caller, current.id);
  }

  async delete(caller: ReceiverCaller, rawId: unknown): Promise<void> {
    const rows: unknown[] = await this.db.query(`WITH gone AS (DELETE FROM signal_streams WHERE id = $1 AND receiver_id = $2 RETURNING id) SELECT id FROM gone`, [
      streamIdOf(rawId),
      caller.receiverId,
    ]);
    if (rows.length === 0) throw new NotFound("Stream");
  }

  /**
   * Moves the stream to `status` and, when that is a change, announces it with a stream-updated
   * event in the same statement. Disabling drops what was waiting (SSF 1.0 §8.1.2); pausing holds it.
   */
  async setStatus(caller: ReceiverCaller, rawBody: unknown): Promise<StreamRow> {
    const body = object(rawBody, "body");
    const current = await this.get(caller, body.stream_id);
    if (typeof body.status !== "string" || !STATUSES.includes(body.status as StreamStatus)) {
      throw new InvalidInput(`status must be one of ${STATUSES.join(", ")}.`, "status");
    }
    const reason = text(body.reason, "reason");
    await this.db.query(
      `WITH changed AS (
         UPDATE signal_streams SET status = $2, status_reason = $3, next_attempt_at = now()
          WHERE id = $1 AND status <> $2 RETURNING id),
       dropped AS (
         DELETE FROM signal_outbox o USING changed c
          WHERE o.stream_id = c.id AND $2 = 'disabled' AND o.event_type NOT IN ('verification', 'stream-updated'))
       INSERT INTO signal_outbox (stream_id, txn, event_type, facts)
       SELECT id, signal_txn(), 'stream-updated', jsonb_strip_nulls(jsonb_build_object('status', $2::text, 'reason', $3::text)) FROM changed`,
      [current.id, body.status, reason],
    );
    this.queued();
    return this.get(caller, current.id);
  }

  /** SSF 1.0 §8.1.4: asks for a verification event carrying `state`. */
  async verify(caller: ReceiverCaller, rawBody: unknown): Promise<void> {
    const body = object(rawBody, "body");
    const stream = await this.get(caller, body.stream_id);
    const state = text(body.state, "state");
    await this.db.query(`INSERT INTO signal_outbox (stream_id, txn, event_type, facts) VALUES ($1, signal_txn(), 'verification', $2)`, [stream.id, state === null ? {} : { state }]);
    this.queued();
  }

  /**
   * SSF 1.0 §8.1.3: the stream's subjects are all users by default; removing one stops its events
   * and adding it back resumes them. A subject that matches no user is accepted alike, so the
   * endpoints do not tell which accounts exist.
   */
  async changeSubject(caller: ReceiverCaller, rawBody: unknown, change: "add" | "remove"): Promise<void> {
    const body = object(rawBody, "body");
    const stream = await this.get(caller, body.stream_id);
    const userId = await this.userOf(object(body.subject, "subject"), stream.issuer);
    if (!userId) return;
    if (change === "remove") {
      await this.db.query(`INSERT INTO signal_stream_exclusions (stream_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [stream.id, userId]);
    } else {
      await this.db.query(`DELETE FROM signal_stream_exclusions WHERE stream_id = $1 AND user_id = $2`, [stream.id, userId]);
    }
  }

  /** The user a subject identifier (RFC 9493: email, iss_sub, opaque) names; null when none. */
  private async userOf(subject: Json, issuer: string): Promise<string | null> {
    let id: string | null = null;
    if (subject.format === "email") {
      if (typeof subject.email !== "string") throw new InvalidInput("An email subject needs email.", "subject");
      let email: string;
      try {
        email = normalizeEmail(subject.email);
      } catch {
        return null;
      }
      const rows = await this.db.query(`SELECT id FROM users WHERE email = $1`, [email]);
      return rows[0]?.id ?? null;
    }
    if (subject.format === "iss_sub") {
      if (typeof subject.iss !== "string" || typeof subject.sub !== "string") throw new InvalidInput("An iss_sub subject needs iss and sub.", "subject");
      if (subject.iss !== issuer) return null;
      id = subject.sub;
    } else if (subject.format === "opaque") {
      if (typeof subject.id !== "string") throw new InvalidInput("An opaque subject needs id.", "subject");
      id = subject.id;
    } else {
      throw new InvalidInput("subject.format must be email, iss_sub or opaque.", "subject");
    }
    if (!UUID.test(id)) return null;
    const rows = await this.db.query(`SELECT id FROM users WHERE id = $1`, [id]);
    return rows[0]?.id ?? null;
  }
}
