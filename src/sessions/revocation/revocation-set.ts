import type { Role } from "../../domain/role";

/**
 * What this instance knows of the last access-token lifetime: which sessions ended, which users'
 * roles changed, and which sessions another instance claims ended but the database has not yet
 * confirmed. Every entry is forgotten once no token it could concern is still valid, so the
 * size follows the rate of endings, not the number of sessions.
 */
export class RevocationSet {
  private readonly ended = new Map<string, number>();
  private readonly roles = new Map<string, { role: Role; logId: number; learnedAt: number; forgetAt: number }>();
  private readonly suspects = new Map<string, number>();

  constructor(
    private readonly memoryMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an ending; true when it is news to this instance. */
  addEnded(sessionId: string): boolean {
    this.suspects.delete(sessionId);
    if (this.ended.has(sessionId)) return false;
    this.ended.set(sessionId, this.now() + this.memoryMs);
    return true;
  }

  /** Records a role change; an older log entry read late does not undo a newer one. */
  setRole(userId: string, role: Role, logId: number): void {
    const known = this.roles.get(userId);
    if (known && known.logId > logId) return;
    const now = this.now();
    this.roles.set(userId, { role, logId, learnedAt: now, forgetAt: now + this.memoryMs });
  }

  /** Sessions claimed ended: until the claim is settled, their tokens are checked in the database. */
  suspect(sessionIds: string[]): void {
    for (const id of sessionIds) if (!this.ended.has(id)) this.suspects.set(id, this.now() + this.memoryMs);
  }

  /** A claim the database did not confirm (forged, or about a session still active). */
  clearSuspect(sessionId: string): void {
    this.suspects.delete(sessionId);
  }

  isEnded(sessionId: string): boolean {
    return this.ended.has(sessionId);
  }

  isSuspect(sessionId: string): boolean {
    return this.suspects.has(sessionId);
  }

  /**
   * The user's role if this instance learned of a change to it at `since` (ms) or later; otherwise
   * the token's own claim stands. The time is when the change was read from the log, never before
   * it committed (the log's own time is when the UPDATE ran, which an open transaction can put
   * long before anyone could see it).
   */
  roleOf(userId: string, since = -Infinity): Role | undefined {
    const change = this.roles.get(userId);
    return change && change.learnedAt >= since ? change.role : undefined;
  }

  get size(): number {
    return this.ended.size + this.roles.size + this.suspects.size;
  }

  /** Forgets what no valid token can concern any more. */
  prune(): void {
    const now = this.now();
    for (const [id, forgetAt] of this.ended) if (forgetAt <= now) this.ended.delete(id);
    for (const [id, forgetAt] of this.suspects) if (forgetAt <= now) this.suspects.delete(id);
    for (const [id, entry] of this.roles) if (entry.forgetAt <= now) this.roles.delete(id);
  }
}
