import { randomBytes } from "node:crypto";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { SESSION_REVOKED } from "./graphql";

/**
 * One device's socket, speaking graphql-ws over a bare TCP connection. Ten thousand devices
 * each have a core of their own; here they share one process with the bench, so each reading
 * does the least that is needed when its bytes arrive (note the time, keep the bytes) and is
 * checked and answered once the storm is over, not while later devices wait their turn.
 */
export interface Watcher {
  sessionId: string;
  /** performance.now() when the first bytes after the subscription arrived (its event, if `told` says so). */
  eventAt?: number;
  /** The close code the service sent, once it has. */
  closed: Promise<number>;
  /** Whether what arrived is the subscription's `next` naming this session, its `complete`, then the 4403 close. */
  told(): boolean;
  /** Answers the service's close (or drops the connection if it sent none). */
  destroy(): void;
}

const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;

interface Frame {
  opcode: number;
  payload: Buffer;
}

/** A client frame: masked, as RFC 6455 requires, with a zero key (so the payload reads as is). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

const textFrame = (message: unknown) => clientFrame(OPCODE_TEXT, Buffer.from(JSON.stringify(message)));

/** The whole server frames at the start of `bytes`, and how many bytes they took. */
function serverFrames(bytes: Buffer): { frames: Frame[]; used: number } {
  const frames: Frame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    let length = bytes[at + 1] & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    frames.push({ opcode: bytes[at] & 0x0f, payload: bytes.subarray(start, start + length) });
    at = start + length;
  }
  return { frames, used: at };
}

/** Opens a socket with the token, subscribes to sessionRevoked, resolves once acknowledged. */
function openWatcher(wsUrl: string, accessToken: string, sessionId: string): Promise<Watcher> {
  const url = new URL(wsUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let settle: (code: number) => void = () => undefined;
    let pending = Buffer.alloc(0);
    let upgraded = false;
    let subscribed = false;
    let closeCode: number | undefined;
    const received: Buffer[] = [];
    const watcher: Watcher = {
      sessionId,
      closed: new Promise((done) => (settle = done)),
      told: () => toldOf(sessionId, Buffer.concat(received)),
      destroy: () => (closeCode === undefined ? socket.destroy() : socket.end(clientFrame(OPCODE_CLOSE, Buffer.from([closeCode >> 8, closeCode & 0xff])))),
    };
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once("connect", () =>
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
      ),
    );
    socket.on("data", (chunk: Buffer) => {
      if (subscribed) {
        // The storm: note the time and keep the bytes. The close is answered when the bench is
        // done with the storm (destroy): the service reads answers only after its writes anyway.
        watcher.eventAt ??= performance.now();
        received.push(chunk);
        const code = closeCodeOf(received.length === 1 ? chunk : Buffer.concat(received));
        if (code !== undefined) {
          closeCode = code;
          settle(code);
        }
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = pending.subarray(0, end).toString();
        if (!head.startsWith("HTTP/1.1 101")) return fail(new Error(`upgrade refused: ${head.split("\r\n")[0]}`));
        upgraded = true;
        pending = pending.subarray(end + 4);
        socket.write(textFrame({ type: "connection_init", payload: { authorization: `Bearer ${accessToken}` } }));
      }
      const { frames, used } = serverFrames(pending);
      pending = pending.subarray(used);
      for (const frame of frames) {
        if (frame.opcode === OPCODE_CLOSE) return fail(new Error(`socket closed before ack: ${frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : "no code"}`));
        if ((JSON.parse(frame.payload.toString()) as { type: string }).type === "connection_ack") {
          socket.write(textFrame({ id: "r", type: "subscribe", payload: { query: SESSION_REVOKED } }));
          subscribed = true;
          resolve(watcher);
        }
      }
    });
    socket.once("close", () => {
      settle(0);
      reject(new Error("socket closed before ack"));
    });
    socket.once("error", reject);
  });
}

/** The close frame's code, once `bytes` hold one (0 when it gives none). */
function closeCodeOf(bytes: Buffer): number | undefined {
  const close = serverFrames(bytes).frames.find((frame) => frame.opcode === OPCODE_CLOSE);
  if (!close) return undefined;
  return close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 0;
}

/** The storm's bytes, checked: `next` with this session's sessionRevoked, `complete`, close 4403. */
function toldOf(sessionId: string, bytes: Buffer): boolean {
  const { frames } = serverFrames(bytes);
  if (frames.length !== 3 || frames[0].opcode !== OPCODE_TEXT || frames[1].opcode !== OPCODE_TEXT) return false;
  const next = JSON.parse(frames[0].payload.toString()) as { id: string; type: string; payload?: { data?: { sessionRevoked?: { sessionId: string } } } };
  const complete = JSON.parse(frames[1].payload.toString()) as { id: string; type: string };
  return (
    next.id === "r" &&
    next.type === "next" &&
    next.payload?.data?.sessionRevoked?.sessionId === sessionId &&
    complete.id === "r" &&
    complete.type === "complete" &&
    closeCodeOf(bytes) === 4403
  );
}

/** `perSession` watchers for each session, opened `parallel` at a time. */
export async function openWatchers(wsUrl: string, sessions: { accessToken: string; sessionId: string }[], perSession: number, parallel = 200): Promise<Watcher[]> {
  const wanted = sessions.flatMap((s) => Array.from({ length: perSession }, () => s));
  const watchers: Watcher[] = [];
  for (let i = 0; i < wanted.length; i += parallel) {
    watchers.push(...(await Promise.all(wanted.slice(i, i + parallel).map((s) => openWatcher(wsUrl, s.accessToken, s.sessionId)))));
  }
  return watchers;
}

/** Until the service's metrics show `count` sessionRevoked subscriptions (a subscribe has no ack). */
export async function untilSubscribed(baseUrl: string, metricsToken: string, count: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const text = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    const open = Number(/session_service_subscriptions\{field="sessionRevoked"\} (\d+)/.exec(text)?.[1] ?? 0);
    if (open >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fewer than ${count} subscriptions after 60 s`);
}
