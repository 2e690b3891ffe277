import { ipPrefix } from "../../domain/ip-prefix";

export interface SocketLimits {
  /** Open WebSocket connections from one IPv4 address or IPv6 /64. */
  perNetwork: number;
  /** Open connections authenticated with one session. */
  perSession: number;
  /** Running operations on one connection. */
  subscriptionsPerSocket: number;
  /** connection_init messages from one network per HANDSHAKE_WINDOW_MS: each costs a JWT check and a query. */
  handshakesPerNetwork: number;
}

const HANDSHAKE_WINDOW_MS = 10_000;

/**
 * How much of this instance one client may hold: sockets per network, connection_init messages
 * per network (a reconnect storm with an ended session), and, checked by the WebSocket adapter,
 * sockets per session and subscriptions per socket. Counts are per instance, in memory.
 */
export class SocketCaps {
  private readonly open = new Map<string, number>();
  private readonly handshakes = new Map<string, number[]>();

  constructor(readonly limits: SocketLimits) {}

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

  /** Counts a connection_init from this address; false past the rate. */
  admitHandshake(ip: string, now = Date.now()): boolean {
    const network = ipPrefix(ip);
    const recent = (this.handshakes.get(network) ?? []).filter((t) => t > now - HANDSHAKE_WINDOW_MS);
    if (recent.length >= this.limits.handshakesPerNetwork) {
      this.handshakes.set(network, recent);
      return false;
    }
    recent.push(now);
    this.handshakes.set(network, recent);
    // One-off networks leave nothing behind once their window has passed.
    if (this.handshakes.size > 10_000) for (const [key, times] of this.handshakes) if (!times.some((t) => t > now - HANDSHAKE_WINDOW_MS)) this.handshakes.delete(key);
    return true;
  }
}
