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

export async function updatePasswordHash(m: EntityManager, userId: string, passwordHash: string): Promise<void> {
  await m.update(UserEntity, { id: userId }, { passwordHash });
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
