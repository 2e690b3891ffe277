import { hashPassword } from "../auth/password";
import type { UserEntity } from "../db/entities/user.entity";
import type { Queryable } from "../db/queryable";
import { InvalidInput } from "../domain/errors";
import type { Role } from "../domain/role";
import type { SessionEnded } from "../domain/session-ended";
import type { SessionTransactions } from "../sessions/unit-of-work";
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
  /** The account's sessions ended because its password was replaced (announced by the unit of work). */
  ended: SessionEnded[];
}

/**
 * Creates the account, or changes an existing one as asked. A given password is never ignored:
 * on an existing account it replaces the old one and ends every session (whoever registered the
 * address first loses access). A role changes only when one is given, so leaving it out never
 * demotes anybody.
 */
export async function provisionUser(sessions: SessionTransactions, rawEmail: string, request: ProvisionRequest): Promise<Provisioned> {
  const email = normalizeEmail(rawEmail);
  if (request.password !== undefined) checkNewPassword(request.password);
  const passwordHash = request.password !== undefined ? await hashPassword(request.password) : undefined;
  return sessions.inTransaction(async (tx) => {
    const existing = await users.findUserByEmail(tx.sql, email);
    if (!existing) {
      if (passwordHash === undefined) throw new InvalidInput("A password is needed to create an account.", "password");
      const user = await users.insertUser(tx.sql, email, passwordHash, request.role ?? "USER");
      if (!user) {
        if (await users.findUserByEmail(tx.sql, email)) throw new InvalidInput("The account was created by someone else meanwhile; run the command again.", "email");
        throw new InvalidInput(LOOK_ALIKE, "email");
      }
      return { user, created: true, passwordReplaced: false, roleChanged: false, ended: [] };
    }
    let ended: SessionEnded[] = [];
    if (passwordHash !== undefined) {
      // The credential-change signal's trigger reads who set it (migrations/1765900800000-signals.ts).
      await tx.sql.query(`SELECT set_config('signals.initiator', 'admin', true)`);
      await users.updatePasswordHash(tx.sql, existing.id, passwordHash);
      await recordByAdministrator(tx.sql, existing.id, "PASSWORD_CHANGED", null);
      ended = await tx.end({ userId: existing.id }, "PASSWORD_CHANGED", null);
    }
    const roleChanged = request.role !== undefined && request.role !== existing.role;
    if (roleChanged) {
      await users.updateRole(tx.sql, existing.id, request.role!);
      await recordByAdministrator(tx.sql, existing.id, "ROLE_CHANGED", null);
      tx.roleChanged(existing.id);
    }
    return { user: { ...existing, role: request.role ?? existing.role }, created: false, passwordReplaced: passwordHash !== undefined, roleChanged, ended };
  });
}

const LOOK_ALIKE = "An account whose address looks the same (the same letters in another form, such as ı for i) exists already.";

/** "look-alike": no account has the address, but one has an address that looks the same (see email-skeleton.ts). */
export type AdminBootstrap = "created" | "exists" | "exists-as-user" | "look-alike";

/**
 * The ADMIN_EMAIL account, created at start-up if the address is free. An existing account is
 * left exactly as it is: a USER who registered that address first is not promoted (nor given
 * ADMIN_PASSWORD), which would hand administration to whoever got there first.
 */
export async function ensureAdmin(db: Queryable, rawEmail: string, password: string): Promise<AdminBootstrap> {
  const email = normalizeEmail(rawEmail);
  const existing = await users.findUserByEmail(db, email);
  if (existing) return existing.role === "ADMIN" ? "exists" : "exists-as-user";
  checkNewPassword(password);
  if (await users.insertUser(db, email, await hashPassword(password), "ADMIN")) return "created";
  const taken = await users.findUserByEmail(db, email);
  if (!taken) return "look-alike";
  return taken.role === "ADMIN" ? "exists" : "exists-as-user";
}
