import { performance } from "node:perf_hooks";
import type { Logger } from "../logging/logger";
import { inBatches, PURGE_ROUNDS } from "./batches";
import type { SessionService } from "./session-service";

/** Something outside sessions/ that expires and is deleted on each sweep (device tokens, security events), a batch at a time. */
export interface Purge {
  /** What it deletes, for the log. */
  what: string;
  /** Deletes up to `batch` rows; how many went. */
  runBatch(batch: number): Promise<number>;
}

/**
 * Ends sessions that reached their expiry without a refresh, every `intervalMs`, so their
 * sockets are told (EXPIRED) even though no request arrives to notice. Requests do not wait
 * for it: no access token outlives its session's expiry, so the gate refuses them anyway.
 * It also deletes sessions (and their refresh tokens) that ended more than `retentionDays` ago,
 * and revocation-log entries no instance needs any more, then runs the other purges it was given.
 */
export class ExpiryAndRetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly sessions: SessionService,
    private readonly intervalMs: number,
    private readonly retentionDays: number,
    /** How long revocation-log entries are kept: longer than any instance remembers them. */
    private readonly revocationLogSeconds: number,
    private readonly logger: Logger,
    /** Told how long each sweep took, in seconds (metrics). */
    private readonly swept: (seconds: number) => void = () => undefined,
    private readonly purges: Purge[] = [],
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  sweep(): Promise<void> {
    const started = performance.now();
    this.running ??= this.sessions
      .endExpired()
      .then(() => this.sessions.purgeEnded(this.retentionDays, this.revocationLogSeconds))
      .then((purged) => {
        if (purged > 0) this.logger.info({ purged, retentionDays: this.retentionDays }, "deleted sessions past their retention");
      })
      .then(() => this.runPurges())
      .catch((error) => this.logger.error({ err: error }, "expiry sweep failed"))
      .finally(() => {
        this.swept((performance.now() - started) / 1000);
        this.running = null;
      });
    return this.running;
  }

  private async runPurges(): Promise<void> {
    for (const { what, runBatch } of this.purges) {
      const purged = await inBatches(PURGE_ROUNDS, runBatch);
      if (purged > 0) this.logger.info({ purged, what }, "deleted expired rows");
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
