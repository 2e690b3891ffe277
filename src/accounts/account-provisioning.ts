import type { DataSource } from "typeorm";
import { hashPassword } from "../auth/password";
import type { UserEntity } from "../db/entities/user.entity";
import { InvalidInput } from "../domain/errors";
import type { Role } from "../domain/role";
import type { SessionEnded } from "../sessions/session-ended";
import { endSessions } from "../sessions/session-store";
import { checkNewPassword, normalizeEmail } from "./credentials";
import { recordByAdministrator } from "./activity-store";
import * as users from "./user-store";

/** What an operator asks for: each part only when given, so nothing is changed by leaving it out. */
export interface ProvisionRequest {
  password?: string;
  role?: Role;
}

export interface Provisioned {
  user: UserEntity;
  created: boolean;
  passwordReplaced: boolean;
  roleChanged: boolean;
  /** The account's sessions ended because its password was replaced; to be announced by the caller. */
  ended: SessionEnded[];
}

/**
 * Creates the account, or changes an existing one as asked. A given password is never ignored:
 * on an existing account it replaces the old one and ends every session (whoever registered the
 * address first loses access). A role changes only when one is given, so leaving it out never
 * demotes anybody.
 */
export async function provisionUser(db: DataSource, rawEmail: string, request: ProvisionRequest): Promise<Provisioned> {
  const email = normalizeEmail(rawEmail);
  if (request.password !== undefined) checkNewPassword(request.password);
  const passwordHash = request.password !== undefined ? await hashPassword(request.password) : undefined;
  return db.transaction(async (m) => {
    const existing = await users.findUserByEmail(m, email);
    if (!existing) {
      if (passwordHash === undefined) throw new InvalidInput("A password is needed to create an account.", "password");
      const user = await users.insertUser(m, email, passwordHash, request.role ?? "USER");
      if (!user) throw new InvalidInput("The account was created by someone else meanwhile; run the command again.", "email");
      return { user, created: true, passwordReplaced: false, roleChanged: false, ended: [] };
    }
    let ended: SessionEnded[] = [];
    if (passwordHash !== undefined) {
      await users.updatePasswordHash(m, existing.id, passwordHash);
      await recordByAdministrator(m, existing.id, "PASSWORD_CHANGED", null);
      ended = await endSessions(m, { userId: existing.id }, "PASSWORD_CHANGED", null);
    }
    const roleChanged = request.role !== undefined && request.role !== existing.role;
    if (roleChanged) {
      await users.updateRole(m, existing.id, request.role!);
      await recordByAdministrator(m, existing.id, "ROLE_CHANGED", null);
    }
    return { user: { ...existing, role: request.role ?? existing.role }, created: false, passwordReplaced: passwordHash !== undefined, roleChanged, ended };
  });
}

export type AdminBootstrap = "created" | "exists" | "exists-as-user";

/**
 * The ADMIN_EMAIL account, created at start-up if the address is free. An existing account is
 * left exactly as it is: a USER who registered that address first is not promoted (nor given
 * ADMIN_PASSWORD), which would hand administration to whoever got there first.
 */
export async function ensureAdmin(db: DataSource, rawEmail: string, password: string): Promise<AdminBootstrap> {
  const email = normalizeEmail(rawEmail);
  const existing = await users.findUserByEmail(db.manager, email);
  if (existing) return existing.role === "ADMIN" ? "exists" : "exists-as-user";
  checkNewPassword(password);
  const created = await users.insertUser(db.manager, email, await hashPassword(password), "ADMIN");
  return created ? "created" : (await users.findUserByEmail(db.manager, email))?.role === "ADMIN" ? "exists" : "exists-as-user";
}
