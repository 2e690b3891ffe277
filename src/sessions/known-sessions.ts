import type { Role } from "../domain/role";

/**
 * What the database said about a session (whose it is, the role its user had) and when it was
 * read (the shared clock's ms), or what this instance's own login wrote. A token's signature is
 * never believed about either: a correctly signed token naming another user or role is held
 * against this. It is only as good as the revocation gate's memory since `readAtMs`, which the
 * caller checks. Kept per session id in an `LruMap`.
 */
export interface KnownSession {
  userId: string;
  role: Role;
  readAtMs: number;
}
