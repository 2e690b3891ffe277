import type { EntityManager } from "typeorm";
import { hashPassword } from "../auth/password";
import type { UserEntity } from "../db/entities/user.entity";
import { InvalidInput } from "../domain/errors";
import type { Role } from "../domain/role";
import { checkNewPassword, normalizeEmail } from "./credentials";
import * as users from "./user-store";

/** Creates the account, or sets the role of an existing one (its password is left alone). */
export async function createOrSetRole(
  m: EntityManager,
  rawEmail: string,
  password: string | undefined,
  role: Role,
): Promise<{ user: UserEntity; created: boolean }> {
  const email = normalizeEmail(rawEmail);
  const existing = await users.findUserByEmail(m, email);
  if (existing) {
    if (existing.role !== role) await users.updateRole(m, existing.id, role);
    return { user: { ...existing, role }, created: false };
  }
  if (password === undefined) throw new InvalidInput("A password is needed to create an account.", "password");
  checkNewPassword(password);
  const user = await users.insertUser(m, email, await hashPassword(password), role);
  // Null only if someone else created it in the meantime: then it exists, so set its role.
  return user ? { user, created: true } : createOrSetRole(m, email, password, role);
}

/** The ADMIN_EMAIL account, created at start-up if it does not exist yet; true when created. */
export async function ensureAdmin(m: EntityManager, rawEmail: string, password: string): Promise<boolean> {
  const email = normalizeEmail(rawEmail);
  if (await users.findUserByEmail(m, email)) return false;
  checkNewPassword(password);
  return (await users.insertUser(m, email, await hashPassword(password), "ADMIN")) !== null;
}
