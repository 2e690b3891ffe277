import type { EndReason } from "../domain/end-reason";

/** A session ending that has been committed to the database, ready to be announced. */
export interface SessionEnded {
  sessionId: string;
  userId: string;
  reason: EndReason;
  endedAt: Date;
  /** The user who ended it (the owner or an administrator); null when the system did (expiry, token reuse). */
  endedBy: string | null;
}
