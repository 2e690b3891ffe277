import type { UserEntity } from "../db/entities/user.entity";
import type { Queryable } from "../db/queryable";
import type { Role } from "../domain/role";
import { emailSkeleton } from "./email-skeleton";

const COLUMNS = "id, email, password_hash, role, auth_epoch, created_at";

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  auth_epoch: number;
  created_at: Date;
}

function toUser(row: UserRow): UserEntity {
  return { id: row.id, email: row.email, passwordHash: row.password_hash, role: row.role, authEpoch: row.auth_epoch, createdAt: row.created_at };
}

async function oneUser(q: Queryable, where: string, value: string): Promise<UserEntity | null> {
  const rows: UserRow[] = await q.query(`SELECT ${COLUMNS} FROM users WHERE ${where} = $1`, [value]);
  return rows[0] ? toUser(rows[0]) : null;
}

export function findUserByEmail(q: Queryable, email: string): Promise<UserEntity | null> {
  return oneUser(q, "email", email);
}

export function findUserById(q: Queryable, id: string): Promise<UserEntity | null> {
  return oneUser(q, "id", id);
}

/**
 * Inserts unless the email, or one that looks the same (its skeleton, see email-skeleton.ts), is
 * taken; null when it was. The unique indexes decide, so racing sign-ups cannot both win.
 */
export async function insertUser(q: Queryable, email: string, passwordHash: string, role: Role): Promise<UserEntity | null> {
  const rows: UserRow[] = await q.query(
    `INSERT INTO users (email, email_skeleton, password_hash, role) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [email, emailSkeleton(email), passwordHash, role],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

/** A new password; logins that verified the old one and have not opened their session yet are refused. */
export async function updatePasswordHash(q: Queryable, userId: string, passwordHash: string): Promise<void> {
  await q.query(`UPDATE users SET password_hash = $2, auth_epoch = auth_epoch + 1 WHERE id = $1`, [userId, passwordHash]);
}

/**
 * The account's auth epoch, share-locked for the rest of the transaction: a password change or an
 * administrator's logout (which update the row) waits for a session being opened now to commit,
 * and then ends it; one that committed first is seen here, and the session is not opened.
 */
export async function lockAuthEpoch(q: Queryable, userId: string): Promise<number | null> {
  const rows: { auth_epoch: number }[] = await q.query(`SELECT auth_epoch FROM users WHERE id = $1 FOR SHARE`, [userId]);
  return rows[0]?.auth_epoch ?? null;
}

export async function updateRole(q: Queryable, userId: string, role: Role): Promise<void> {
  await q.query(`UPDATE users SET role = $2 WHERE id = $1`, [userId, role]);
}

/** Users whose email contains the text (case-insensitive; LIKE wildcards in it match literally), by email. */
export async function searchUsers(q: Queryable, emailContains: string | undefined, limit: number, offset: number): Promise<UserEntity[]> {
  const escaped = (emailContains ?? "").toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows: UserRow[] = await q.query(
    `SELECT ${COLUMNS} FROM users WHERE email LIKE $1 ESCAPE '\\' ORDER BY email LIMIT $2 OFFSET $3`,
    [`%${escaped}%`, limit, offset],
  );
  return rows.map(toUser);
}
