// Ids skipped by a read may belong to transactions that commit later (ids are taken at insert,
// not at commit). They are asked for again until this old; a rolled-back insert is never filled.
const GAP_PATIENCE_MS = 30_000;
// A jump wider than this is not transactions in flight; only its top end is watched.
const MAX_GAPS = 10_000;

/**
 * Where the next read of the revocation log starts: after the highest id seen, plus the ids
 * below it that were skipped and may still appear. Pure bookkeeping, no database.
 */
export class LogCursor {
  private highest = 0;
  private readonly gaps = new Map<number, number>();

  constructor(private readonly gapPatienceMs = GAP_PATIENCE_MS) {}

  /** Read entries with an id above this... */
  get after(): number {
    return this.highest;
  }

  /** ...and these, skipped earlier. */
  get missing(): number[] {
    return [...this.gaps.keys()];
  }

  /** Records the ids a read returned (in any order), at `now` (ms). */
  saw(ids: number[], now: number): void {
    for (const id of [...ids].sort((x, y) => x - y)) {
      this.gaps.delete(id);
      if (id <= this.highest) continue;
      // Nothing seen yet: there is no gap to speak of below the first id.
      if (this.highest > 0) for (let gap = Math.max(this.highest + 1, id - MAX_GAPS); gap < id; gap++) this.gaps.set(gap, now);
      this.highest = id;
    }
    for (const [id, noticed] of this.gaps) if (now - noticed > this.gapPatienceMs) this.gaps.delete(id);
  }
}
