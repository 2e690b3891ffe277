import type { Duplex } from "node:stream";
import { execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from "graphql";
import { MessageType } from "graphql-ws";
import type { WebSocket } from "ws";
import type { SessionEnded } from "../../domain/session-ended";
import type { Logger } from "../../logging/logger";
import type { ConnectionEnd } from "../../realtime/live-connection";
import { SocketClose } from "./close-codes";
import { contractErrors } from "./contract-errors";

/** A `sessionRevoked` subscription as the socket knows it: graphql-ws's id for it, and what it executes. */
export interface RevocationWatcher {
  id: string;
  args: ExecutionArgs;
}

/**
 * Each ending's `next` payload, rendered once per distinct operation and shared by every socket
 * of the session (and, in a logout of many sessions, by nobody else: the event differs). The
 * field's resolver reads only the event, never the context, so one rendering serves all. An
 * operation is its document (one object per query text, see graphql/operation-check.ts) and,
 * when it has them, its operation name and variables.
 */
const rendered = new WeakMap<SessionEnded, Map<DocumentNode, Map<string, string | Promise<string>>>>();

/**
 * Each ending's frames for a socket with one `sessionRevoked` subscription, by rendered payload
 * and subscription id: the ten sockets of a session that subscribe alike share one buffer.
 */
const framed = new WeakMap<SessionEnded, Map<string, Map<string, Buffer>>>();

/**
 * The end of a socket whose session ended, written in one go: for each `sessionRevoked`
 * subscription its `next` and `complete`, then the 4403 close naming the reason. graphql-ws
 * would send each message only after the previous one's write completed, three writes per
 * socket; here the two messages are framed once into one buffer (ws would frame each anew, in
 * two pieces) and the close follows through ws, which owns the closing handshake, all corked
 * into one write. The subscriptions' streams end afterwards, and graphql-ws sends nothing more
 * on a closing socket. A class, not closures: every idle socket holds one.
 */
export class SocketEnding implements ConnectionEnd<RevocationWatcher> {
  constructor(
    private readonly socket: WebSocket,
    private readonly log: () => Logger,
  ) {}

  end(event: SessionEnded, watchers: RevocationWatcher[]): void {
    const payloads = watchers.map((watcher) => payloadOf(event, watcher, this.log));
    if (payloads.every((p): p is string => typeof p === "string")) this.write(event, watchers, payloads);
    // A resolver that answers later (none does today) only costs the single write.
    else void Promise.all(payloads).then((done) => this.write(event, watchers, done));
  }

  private write(event: SessionEnded, watchers: RevocationWatcher[], payloads: string[]): void {
    const raw = (this.socket as unknown as { _socket?: Duplex })._socket;
    // Frames of our own go straight to the socket only where ws would write them as they are:
    // open, and no extension (permessage-deflate) that would queue or compress its own.
    const direct = raw !== undefined && this.socket.readyState === this.socket.OPEN && this.socket.extensions === "";
    raw?.cork();
    try {
      if (direct && watchers.length > 0) raw.write(watchers.length === 1 ? framesOf(event, watchers[0].id, payloads[0]) : messageFrames(watchers, payloads));
      else
        watchers.forEach((watcher, i) => {
          for (const message of messagesOf(watcher.id, payloads[i])) this.socket.send(message);
        });
      this.socket.close(SocketClose.Forbidden, event.reason);
    } finally {
      raw?.uncork();
    }
  }
}

/** A subscription's last two messages: its event, then its end. */
function messagesOf(id: string, payload: string): [string, string] {
  const quoted = JSON.stringify(id);
  return [`{"id":${quoted},"type":"${MessageType.Next}","payload":${payload}}`, `{"id":${quoted},"type":"${MessageType.Complete}"}`];
}

function framesOf(event: SessionEnded, id: string, payload: string): Buffer {
  let byPayload = framed.get(event);
  if (!byPayload) framed.set(event, (byPayload = new Map()));
  let byId = byPayload.get(payload);
  if (!byId) byPayload.set(payload, (byId = new Map()));
  let frames = byId.get(id);
  if (!frames) byId.set(id, (frames = messageFrames([{ id }], [payload])));
  return frames;
}

/** Each watcher's messages as unmasked final text frames (RFC 6455 §5.2), back to back in one buffer. */
function messageFrames(watchers: Pick<RevocationWatcher, "id">[], payloads: string[]): Buffer {
  const texts = watchers.flatMap((watcher, i) => messagesOf(watcher.id, payloads[i]));
  const lengths = texts.map((text) => Buffer.byteLength(text));
  const headerOf = (length: number) => (length < 126 ? 2 : length < 65_536 ? 4 : 10);
  const bytes = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + headerOf(length) + length, 0));
  let at = 0;
  texts.forEach((text, i) => {
    const length = lengths[i];
    bytes[at++] = 0x81;
    if (length < 126) bytes[at++] = length;
    else if (length < 65_536) {
      bytes[at++] = 126;
      at = bytes.writeUInt16BE(length, at);
    } else {
      bytes[at++] = 127;
      at = bytes.writeBigUInt64BE(BigInt(length), at);
    }
    at += bytes.write(text, at);
  });
  return bytes;
}

function payloadOf(event: SessionEnded, watcher: RevocationWatcher, log: () => Logger): string | Promise<string> {
  const { document, operationName, variableValues } = watcher.args;
  let forEvent = rendered.get(event);
  if (!forEvent) rendered.set(event, (forEvent = new Map()));
  let forDocument = forEvent.get(document);
  if (!forDocument) forEvent.set(document, (forDocument = new Map()));
  const variant = operationName == null && variableValues == null ? "" : JSON.stringify([operationName ?? null, variableValues ?? null]);
  let payload = forDocument.get(variant);
  if (payload === undefined) {
    const result = execute({ ...watcher.args, rootValue: event });
    payload = result instanceof Promise ? result.then((r) => serialised(r, log)) : serialised(result, log);
    forDocument.set(variant, payload);
  }
  return payload;
}

/** The result as the contract words it (errors with their codes), as JSON. */
function serialised(result: ExecutionResult, log: () => Logger): string {
  return JSON.stringify(result.errors?.length ? { ...result, errors: contractErrors(result.errors, log()) } : result);
}
