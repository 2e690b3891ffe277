/** A stop (a signal) came while start-up was running: the start-up ends here, the stop undoes what started. */
export class StartInterrupted extends Error {}

/**
 * What has been started, in order, each with the way to undo it. Start-up registers every step
 * as it succeeds; a failure at any step, and every shutdown, undoes the started ones in reverse.
 */
export class Lifecycle {
  private readonly started: { name: string; stop: () => Promise<void> }[] = [];
  private stopping: Promise<void> | undefined;
  // The step being started, settled once it is registered: a stop waits for it, so that a signal
  // during (say) the database start undoes that too, instead of exiting with it half-way and locked.
  private starting: Promise<unknown> = Promise.resolve();

  /** Runs one start-up step and remembers how to undo it. */
  async start<T>(name: string, start: () => Promise<T>, stop: (started: T) => Promise<void>): Promise<T> {
    if (this.stopping) throw new StartInterrupted(`stopped before ${name} started`);
    const step = (async () => {
      const value = await start();
      this.started.push({ name, stop: () => stop(value) });
      return value;
    })();
    this.starting = step.catch(() => undefined);
    const value = await step;
    // Stopped meanwhile: the stop undoes this step with the others; going on would start more.
    if (this.stopping) throw new StartInterrupted(`stopped while ${name} started`);
    return value;
  }

  /** Undoes everything started, newest first; one failure does not keep the rest running. */
  stop(onError: (name: string, error: unknown) => void = () => undefined): Promise<void> {
    this.stopping ??= (async () => {
      await this.starting;
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
