import { ipPrefix } from "../../domain/ip-prefix";

export interface SocketLimits {
  /** Open WebSocket connections from one IPv4 address or IPv6 /64. */
  perNetwork: number;
  /** Open connections authenticated with one session. */
  perSession: number;
  /** Running operations on one connection. */
  subscriptionsPerSocket: number;
  /** connection_init messages from one network per HANDSHAKE_WINDOW_MS, steadily: each costs a JWT check and maybe a query. */
  handshakesPerNetwork: number;
}

const HANDSHAKE_WINDOW_MS = 10_000;
// Buckets this many networks at most before the full ones (networks that went quiet) are dropped.
const MAX_TRACKED_NETWORKS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * How much of this instance one client may hold: sockets per network, connection_init messages
 * per network, and, checked by `onConnect`, sockets per session and subscriptions per socket.
 * Counts are per instance, in memory.
 *
 * Handshakes are a token bucket per network. Its burst is the network's socket cap, so an office
 * behind one address whose devices all reconnect after a restart gets every one of them in at
 * once; past the burst it refills at `handshakesPerNetwork` per 10 s, so a reconnect storm from
 * one address (a client looping on an ended session) is held to that steady rate.
 */
export class SocketCaps {
  private readonly open = new Map<string, number>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly refillPerMs: number;

  constructor(readonly limits: SocketLimits) {
    this.burst = Math.max(limits.perNetwork, limits.handshakesPerNetwork);
    this.refillPerMs = limits.handshakesPerNetwork / HANDSHAKE_WINDOW_MS;
  }

  /** Takes a place for a new socket from this address; false when the network has none left. */
  admitSocket(ip: string): boolean {
    const network = ipPrefix(ip);
    const count = this.open.get(network) ?? 0;
    if (count >= this.limits.perNetwork) return false;
    this.open.set(network, count + 1);
    return true;
  }

  releaseSocket(ip: string): void {
    const network = ipPrefix(ip);
    const count = (this.open.get(network) ?? 1) - 1;
    if (count > 0) this.open.set(network, count);
    else this.open.delete(network);
  }

  /** Takes a handshake token of this address's network; false when its bucket is empty. */
  admitHandshake(ip: string, now = Date.now()): boolean {
    const network = ipPrefix(ip);
    const tokens = this.tokensOf(network, now);
    if (tokens < 1) return false;
    this.buckets.set(network, { tokens: tokens - 1, at: now });
    if (this.buckets.size > MAX_TRACKED_NETWORKS) this.forgetFull(now);
    return true;
  }

  private tokensOf(network: string, now: number): number {
    const bucket = this.buckets.get(network);
    if (!bucket) return this.burst;
    return Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.refillPerMs);
  }

  /** A full bucket says nothing a missing one would not. */
  private forgetFull(now: number): void {
    for (const network of this.buckets.keys()) if (this.tokensOf(network, now) >= this.burst) this.buckets.delete(network);
  }
}
