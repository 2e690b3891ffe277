import type { EntityManager } from "typeorm";
import { UserEntity } from "../db/entities/user.entity";
import type { Role } from "../domain/role";

export function findUserByEmail(m: EntityManager, email: string): Promise<UserEntity | null> {
  return m.findOneBy(UserEntity, { email });
}

export function findUserById(m: EntityManager, id: string): Promise<UserEntity | null> {
  return m.findOneBy(UserEntity, { id });
}

/** Inserts unless the email is taken; null when it was (the unique index decides, so racing sign-ups cannot both win). */
export async function insertUser(m: EntityManager, email: string, passwordHash: string, role: Role): Promise<UserEntity | null> {
  const rows: { id: string }[] = await m.query(
    `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id`,
    [email, passwordHash, role],
  );
  return rows[0] ? m.findOneByOrFail(UserEntity, { id: rows[0].id }) : null;
}

/** A new password; logins that verified the old one and have not opened their session yet are refused. */
export async function updatePasswordHash(m: EntityManager, userId: string, passwordHash: string): Promise<void> {
  await m.query(`UPDATE users SET password_hash = $2, auth_epoch = auth_epoch + 1 WHERE id = $1`, [userId, passwordHash]);
}

/**
 * The account's auth epoch, share-locked for the rest of the transaction: a password change or an
 * administrator's logout (which update the row) waits for a session being opened now to commit,
 * and then ends it; one that committed first is seen here, and the session is not opened.
 */
export async function lockAuthEpoch(m: EntityManager, userId: string): Promise<number | null> {
  const rows: { auth_epoch: number }[] = await m.query(`SELECT auth_epoch FROM users WHERE id = $1 FOR SHARE`, [userId]);
  return rows[0]?.auth_epoch ?? null;
}

export async function updateRole(m: EntityManager, userId: string, role: Role): Promise<void> {
  await m.update(UserEntity, { id: userId }, { role });
}

/** Users whose email contains the text (case-insensitive; LIKE wildcards in it match literally), by email. */
export function searchUsers(m: EntityManager, emailContains: string | undefined, limit: number, offset: number): Promise<UserEntity[]> {
  const query = m.createQueryBuilder(UserEntity, "u").orderBy("u.email", "ASC").limit(limit).offset(offset);
  if (emailContains) {
    const escaped = emailContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    query.where("u.email LIKE :pattern ESCAPE '\\'", { pattern: `%${escaped}%` });
  }
  return query.getMany();
}
