// Batches keep each statement of a sweep short; a backlog is worked off over several sweeps.
const SWEEP_BATCH = 1000;
/** How many batches a sweep ends (expiry) at most. */
export const EXPIRY_ROUNDS = 20;
/** How many batches a sweep deletes (retention, expired rows) of each kind at most. */
export const PURGE_ROUNDS = 10;

/** Runs a batched statement until a batch comes back short (or the rounds run out); returns how many rows it took. */
export async function inBatches(rounds: number, runBatch: (batch: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let round = 0; round < rounds; round++) {
    const done = await runBatch(SWEEP_BATCH);
    total += done;
    if (done < SWEEP_BATCH) break;
  }
  return total;
}
