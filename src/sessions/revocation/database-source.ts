import type { DataSource } from "typeorm";
import { findInactive } from "../session-store";
import type { RevocationSource } from "./revocation-source";
import { lastRevocationId, readRecentRevocations, readRevocationsAfter } from "./revocation-store";

/** The gate's reads, from the database's pool. */
export function databaseRevocationSource(db: DataSource): RevocationSource {
  return {
    recent: (seconds) => readRecentRevocations(db.manager, seconds),
    lastId: () => lastRevocationId(db.manager),
    after: (afterId, missing, limit) => readRevocationsAfter(db.manager, afterId, missing, limit),
    ended: (sessionIds) => findInactive(db.manager, sessionIds),
  };
}
