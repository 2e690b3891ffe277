import type { Pool } from "pg";
import type { DataSource } from "typeorm";

/** Counts the connections the server takes from its pool: every query it makes takes one. */
export function countQueries(db: DataSource): { readonly count: number; stop(): void } {
  const pool = (db.driver as unknown as { master: Pool }).master;
  let count = 0;
  const listener = () => count++;
  pool.on("acquire", listener);
  return {
    get count() {
      return count;
    },
    stop: () => pool.off("acquire", listener),
  };
}
