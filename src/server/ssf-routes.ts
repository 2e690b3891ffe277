import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { DomainError, InvalidInput, NotFound } from "../domain/errors";
import type { Logger } from "../logging/logger";
import { pollRequestOf } from "../signals/poll-delivery";
import { SIGNAL_SCOPES, TOKEN_LIFETIME_SECONDS, type ReceiverCaller, type SignalScope } from "../signals/receivers";
import { EVENT_TYPES, REQUESTABLE_KINDS } from "../signals/security-events";
import { POLL, PUSH, type StreamRow } from "../signals/streams";
import { SSF_PATHS, type SignalTransmitter } from "../signals/transmitter";

/**
 * The transmitter's HTTP face: discovery and keys (SSF 1.0 §7), the client-credentials token
 * endpoint (RFC 6749 §4.4), stream management (SSF 1.0 §8) and the poll endpoint (RFC 8936).
 * Services answer with values and domain errors; the status codes are chosen here.
 */

type Authenticated = Request & { receiver: ReceiverCaller };

/** RFC 6749 §5.2's error response. */
function oauthError(res: Response, status: number, error: string, description: string): void {
  if (status === 401) res.set("WWW-Authenticate", 'Basic realm="ssf", charset="UTF-8"');
  res.status(status).set({ "Cache-Control": "no-store", Pragma: "no-cache" }).json({ error, error_description: description });
}

/** Client credentials from `Authorization: Basic` (client_secret_basic) or the body (client_secret_post); exactly one of them. */
function clientCredentials(req: Request): { id: string; secret: string } | "none" | "both" | "malformed" {
  const header = req.headers.authorization;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const inBody = typeof body.client_id === "string" || typeof body.client_secret === "string";
  if (header && inBody) return "both";
  if (header) {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!match) return "malformed";
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return "malformed";
    try {
      // RFC 6749 §2.3.1: each part is form-urlencoded before the base64.
      return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")) };
    } catch {
      return "malformed";
    }
  }
  if (typeof body.client_id === "string" && typeof body.client_secret === "string") return { id: body.client_id, secret: body.client_secret };
  return inBody ? "malformed" : "none";
}

function tokenEndpoint(transmitter: SignalTransmitter): RequestHandler {
  return async (req, res) => {
    if (!req.is("application/x-www-form-urlencoded")) {
      oauthError(res, 400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
      return;
    }
    const credentials = clientCredentials(req);
    if (credentials === "both") {
      oauthError(res, 400, "invalid_request", "Authenticate with one method: Authorization: Basic or client_id and client_secret in the body, not both.");
      return;
    }
    if (credentials === "none" || credentials === "malformed") {
      oauthError(res, 401, "invalid_client", "Client authentication failed.");
      return;
    }
    const receiver = await transmitter.receivers.authenticate(credentials.id, credentials.secret);
    if (!receiver) {
      oauthError(res, 401, "invalid_client", "Client authentication failed.");
      return;
    }
    const body = req.body as Record<string, unknown>;
    if (typeof body.grant_type !== "string") {
      oauthError(res, 400, "invalid_request", "grant_type is missing.");
      return;
    }
    if (body.grant_type !== "client_credentials") {
      oauthError(res, 400, "unsupported_grant_type", "Only the client_credentials grant is supported.");
      return;
    }
    const asked = typeof body.scope === "string" ? body.scope.split(" ").filter(Boolean) : [...SIGNAL_SCOPES];
    if (asked.length === 0 || asked.some((s) => !(SIGNAL_SCOPES as readonly string[]).includes(s))) {
      oauthError(res, 400, "invalid_scope", `The scopes are ${SIGNAL_SCOPES.join(" and ")}.`);
      return;
    }
    const scopes = [...new Set(asked)] as SignalScope[];
    const token = await transmitter.receivers.issueToken(receiver.id, scopes);
    res.set({ "Cache-Control": "no-store", Pragma: "no-cache" }).json({ access_token: token, token_type: "Bearer", expires_in: TOKEN_LIFETIME_SECONDS, scope: scopes.join(" ") });
  };
}

/** RFC 6750: 401 without a valid token, 403 without the scope. ssf.manage includes what ssf.read allows. */
function bearer(transmitter: SignalTransmitter, scope: SignalScope): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(req.headers.authorization?.trim() ?? "");
    const caller = match ? await transmitter.receivers.caller(match[1]) : null;
    if (!caller) {
      res.set("WWW-Authenticate", match ? 'Bearer realm="ssf", error="invalid_token"' : 'Bearer realm="ssf"');
      res.status(401).json({ error: "invalid_token", error_description: "A valid bearer token from /oauth/token is required." });
      return;
    }
    const allowed = caller.scopes.includes(scope) || (scope === "ssf.read" && caller.scopes.includes("ssf.manage"));
    if (!allowed) {
      res.set("WWW-Authenticate", `Bearer realm="ssf", error="insufficient_scope", scope="${scope}"`);
      res.status(403).json({ error: "insufficient_scope", error_description: `This needs the ${scope} scope.` });
      return;
    }
    (req as Authenticated).receiver = caller;
    next();
  };
}

/** SSF 1.0 §8.1.1's stream configuration, as the receiver sees it (authorization_header is write-only). */
function streamJson(stream: StreamRow, transmitter: SignalTransmitter): Record<string, unknown> {
  return {
    stream_id: stream.id,
    iss: stream.issuer,
    aud: stream.clientId,
    events_supported: REQUESTABLE_KINDS.map((kind) => EVENT_TYPES[kind]),
    events_requested: stream.eventsRequested,
    events_delivered: stream.eventsDelivered.map((kind) => EVENT_TYPES[kind]),
    delivery: stream.delivery === "push" ? { method: PUSH, endpoint_url: stream.endpointUrl } : { method: POLL, endpoint_url: transmitter.pollEndpointOf(stream.id) },
    ...(stream.description !== null ? { description: stream.description } : {}),
  };
}

const statusJson = (stream: StreamRow) => ({ stream_id: stream.id, status: stream.status, ...(stream.statusReason ? { reason: stream.statusReason } : {}) });

type Handler = (req: Authenticated, res: Response) => Promise<void>;
const handle =
  (handler: Handler): RequestHandler =>
  (req, res, next) =>
    handler(req as Authenticated, res).catch(next);

function ssfErrors(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    if (error instanceof NotFound) {
      res.status(404).json({ error: "not_found", error_description: error.message });
    } else if (error instanceof InvalidInput || (error as { type?: string }).type === "entity.parse.failed") {
      res.status(400).json({ error: "invalid_request", error_description: error instanceof DomainError ? error.message : "The body is not valid JSON." });
    } else if ((error as { type?: string }).type === "entity.too.large") {
      res.status(413).json({ error: "invalid_request", error_description: "The body is too large." });
    } else {
      logger.error({ err: error }, "an SSF request failed");
      res.status(500).json({ error: "server_error", error_description: "The request could not be completed; try again." });
    }
  };
}

export function ssfRoutes(transmitter: SignalTransmitter, maxBodyBytes: number, logger: Logger): Router {
  const router = Router();
  const noStore: RequestHandler = (_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  };
  const json = express.json({ limit: maxBodyBytes, type: () => true });
  const read = bearer(transmitter, "ssf.read");
  const manage = bearer(transmitter, "ssf.manage");
  const { streams } = transmitter;

  router.get(SSF_PATHS.configuration, (_req, res) => {
    res.set("Cache-Control", "public, max-age=300").json(transmitter.configuration());
  });
  router.get(SSF_PATHS.jwks, async (_req, res, next) => {
    try {
      // Short: a rotated-in key must reach receivers before its first events do.
      res.set("Cache-Control", "public, max-age=60").json(await transmitter.keys.jwks());
    } catch (error) {
      next(error);
    }
  });
  router.post(SSF_PATHS.token, noStore, express.urlencoded({ extended: false, limit: maxBodyBytes }), tokenEndpoint(transmitter));

  router.post(SSF_PATHS.streams, noStore, manage, json, handle(async (req, res) => {
    res.status(201).json(streamJson(await streams.create(req.receiver, req.body), transmitter));
  }));
  router.get(SSF_PATHS.streams, noStore, read, handle(async (req, res) => {
    const id = req.query.stream_id;
    if (id === undefined) res.json((await streams.list(req.receiver)).map((s) => streamJson(s, transmitter)));
    else res.json(streamJson(await streams.get(req.receiver, id), transmitter));
  }));
  router.patch(SSF_PATHS.streams, noStore, manage, json, handle(async (req, res) => {
    res.json(streamJson(await streams.update(req.receiver, req.body, false), transmitter));
  }));
  router.put(SSF_PATHS.streams, noStore, manage, json, handle(async (req, res) => {
    res.json(streamJson(await streams.update(req.receiver, req.body, true), transmitter));
  }));
  router.delete(SSF_PATHS.streams, noStore, manage, handle(async (req, res) => {
    await streams.delete(req.receiver, req.query.stream_id);
    res.status(204).end();
  }));
  router.get(SSF_PATHS.status, noStore, read, handle(async (req, res) => {
    res.json(statusJson(await streams.get(req.receiver, req.query.stream_id)));
  }));
  router.post(SSF_PATHS.status, noStore, manage, json, handle(async (req, res) => {
    res.json(statusJson(await streams.setStatus(req.receiver, req.body)));
  }));
  router.post(SSF_PATHS.addSubject, noStore, manage, json, handle(async (req, res) => {
    await streams.changeSubject(req.receiver, req.body, "add");
    res.status(200).end();
  }));
  router.post(SSF_PATHS.removeSubject, noStore, manage, json, handle(async (req, res) => {
    await streams.changeSubject(req.receiver, req.body, "remove");
    res.status(204).end();
  }));
  router.post(SSF_PATHS.verification, noStore, manage, json, handle(async (req, res) => {
    await streams.verify(req.receiver, req.body);
    res.status(204).end();
  }));
  router.post(`${SSF_PATHS.poll}:streamId`, noStore, read, json, handle(async (req, res) => {
    const stream = await streams.get(req.receiver, req.params.streamId);
    const request = pollRequestOf(req.body);
    // A receiver that gives up on a long poll frees it.
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    res.json(await transmitter.polls.poll(stream, request, gone.signal));
  }));
  router.use(["/ssf", SSF_PATHS.token, "/.well-known"], ssfErrors(logger));
  return router;
}
