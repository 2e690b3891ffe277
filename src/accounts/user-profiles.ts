import type { UserEntity } from "../db/entities/user.entity";
import { LruMap } from "../cache/lru-map";

export interface UserProfilesOptions {
  /** Users held at once; the least recently read goes first. */
  capacity: number;
  /** How long a read is believed: bounds how stale a change made behind the service's back can be. */
  ttlMs: number;
}

/**
 * The users `me` reads, kept for a short while so that an authenticated `me` needs no database.
 * The role is not taken from here (the caller's role is current); an entry is dropped when one of
 * the user's sessions ends or their role changes, and is otherwise re-read after `ttlMs`.
 */
export class UserProfiles {
  private readonly entries: LruMap<string, { user: UserEntity; expiresAt: number }>;

  constructor(
    private readonly load: (userId: string) => Promise<UserEntity | null>,
    private readonly options: UserProfilesOptions,
  ) {
    this.entries = new LruMap(options.capacity);
  }

  /** The user, at once when held (an authenticated `me` then completes without waiting on anything), else read. */
  get(userId: string): UserEntity | Promise<UserEntity | null> {
    const now = Date.now();
    const cached = this.entries.get(userId);
    if (cached && cached.expiresAt > now) return cached.user;
    return this.load(userId).then((user) => {
      if (user) this.entries.set(userId, { user, expiresAt: now + this.options.ttlMs });
      else this.entries.delete(userId);
      return user;
    });
  }

  forget(userId: string): void {
    this.entries.delete(userId);
  }
}
