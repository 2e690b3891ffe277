/**
 * What has been started, in order, each with the way to undo it. Start-up registers every step
 * as it succeeds; a failure at any step, and every shutdown, undoes the started ones in reverse.
 */
export class Lifecycle {
  private readonly started: { name: string; stop: () => Promise<void> }[] = [];
  private stopping: Promise<void> | undefined;

  /** Runs one start-up step and remembers how to undo it. */
  async start<T>(name: string, start: () => Promise<T>, stop: (started: T) => Promise<void>): Promise<T> {
    const value = await start();
    this.started.push({ name, stop: () => stop(value) });
    return value;
  }

  /** Undoes everything started, newest first; one failure does not keep the rest running. */
  stop(onError: (name: string, error: unknown) => void = () => undefined): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of this.started.reverse()) {
        try {
          await step.stop();
        } catch (error) {
          onError(step.name, error);
        }
      }
    })();
    return this.stopping;
  }
}
