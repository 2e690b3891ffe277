/**
 * The queries and mutations running on this server's sockets, so that a shutdown answers them
 * before it closes the sockets with 1012: a mutation that committed is told to its client.
 * Subscriptions are not counted: they end with the socket, and the client subscribes again.
 */
export class OperationsInFlight {
  private readonly running = new Map<object, Set<string>>();
  private settled: (() => void) | null = null;

  started(socket: object, id: string): void {
    const ids = this.running.get(socket) ?? new Set<string>();
    ids.add(id);
    this.running.set(socket, ids);
  }

  finished(socket: object, id: string): void {
    const ids = this.running.get(socket);
    ids?.delete(id);
    if (ids?.size === 0) this.running.delete(socket);
    this.check();
  }

  /** The socket closed: its operations have no one left to answer. */
  closed(socket: object): void {
    this.running.delete(socket);
    this.check();
  }

  /** Resolves once none is running, or after `deadlineMs` (an operation that hangs must not hold the shutdown). */
  async drained(deadlineMs: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([new Promise<void>((resolve) => (this.settled = resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)))]);
    clearTimeout(timer);
    this.settled = null;
  }

  private check(): void {
    if (this.running.size === 0) this.settled?.();
  }
}
