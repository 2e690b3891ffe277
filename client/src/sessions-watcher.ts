import type { LiveSocket } from "./live-socket.js";
import { SESSIONS_CHANGED } from "./operations.js";
import type { Session } from "./types.js";

/**
 * One live list of the caller's sessions: read, then read again on every mySessionsChanged event
 * and after every reconnect (what changed while the socket was down was never pushed). One read
 * at a time; an event during a read asks for one more. Started while the client is signed in
 * and not paused, stopped otherwise.
 */
export class SessionsWatcher {
  private stopChanges: (() => void) | null = null;
  private stopReconnects: (() => void) | null = null;
  private reading = false;
  private again = false;

  constructor(
    private readonly list: () => Promise<Session[]>,
    private readonly listener: (sessions: Session[]) => void,
    private readonly socket: LiveSocket,
  ) {}

  start(): void {
    if (this.stopChanges) return;
    void this.read();
    this.stopChanges = this.socket.subscribe(SESSIONS_CHANGED, { next: () => void this.read(), error: () => undefined, complete: () => undefined });
    let seen = this.socket.live.reconnects;
    this.stopReconnects = this.socket.onChange(() => {
      if (this.socket.live.reconnects === seen) return;
      seen = this.socket.live.reconnects;
      void this.read();
    });
  }

  stop(): void {
    this.stopChanges?.();
    this.stopReconnects?.();
    this.stopChanges = this.stopReconnects = null;
  }

  private async read(): Promise<void> {
    if (this.reading) return void (this.again = true);
    this.reading = true;
    try {
      do {
        this.again = false;
        this.listener(await this.list());
      } while (this.again);
    } catch {
      // Unreachable or signed out: the next reconnect (or the sign-out) says what to do.
    } finally {
      this.reading = false;
    }
  }
}
