import type { RevocationReason } from "../db/entities/session.entity";

/** A session ending that has been committed to the database, ready to be announced. */
export interface RevocationEvent {
  sessionId: string;
  userId: string;
  reason: RevocationReason;
  revokedAt: Date;
}
