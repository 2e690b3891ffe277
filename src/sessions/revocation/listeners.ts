/** A set of listeners told in the order they were added; adding one returns how to remove it. */
export class Listeners<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  add(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(...args: Args): void {
    for (const listener of this.listeners) listener(...args);
  }
}
