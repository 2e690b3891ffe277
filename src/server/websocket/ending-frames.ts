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
 * The end of a socket whose session ended, written in one go: for each `sessionRevoked`
 * subscription its `next` and `complete`, then the 4403 close naming the reason. graphql-ws
 * would send each message only after the previous one's write completed, three writes per
 * socket; corked, they leave as one. The subscriptions' streams end afterwards, and graphql-ws
 * sends nothing more on a closing socket. A class, not closures: every idle socket holds one.
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
    // ws has no cork of its own; its sender corks the socket the same way for each frame's parts.
    const raw = (this.socket as unknown as { _socket?: Duplex })._socket;
    raw?.cork();
    try {
      watchers.forEach((watcher, i) => {
        const id = JSON.stringify(watcher.id);
        this.socket.send(`{"id":${id},"type":"${MessageType.Next}","payload":${payloads[i]}}`);
        this.socket.send(`{"id":${id},"type":"${MessageType.Complete}"}`);
      });
      this.socket.close(SocketClose.Forbidden, event.reason);
    } finally {
      raw?.uncork();
    }
  }
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
