import type { DataSource } from "typeorm";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password";
import type { UserEntity } from "../db/entities/user.entity";
import type { Caller, ClientInfo } from "../domain/caller";
import { Forbidden, InvalidCredentials, InvalidInput, RateLimited, Unauthenticated } from "../domain/errors";
import type { Logger } from "../logging/logger";
import type { SessionEnded } from "../sessions/session-ended";
import type { IssuedTokens, SessionService } from "../sessions/session-service";
import * as provisioning from "./account-provisioning";
import { checkNewPassword, checkPasswordLength, normalizeEmail } from "./credentials";
import type { LoginRateLimiter } from "./login-rate-limiter";
import * as users from "./user-store";

export interface SignedIn extends IssuedTokens {
  user: UserEntity;
}

/** Accounts: sign-up, login, refresh, password change and the administrator bootstrap. */
export class AccountService {
  constructor(
    private readonly db: DataSource,
    private readonly sessions: SessionService,
    private readonly limiter: LoginRateLimiter,
    private readonly signupEnabled: boolean,
    private readonly logger: Logger,
  ) {}

  async signUp(rawEmail: string, password: string, client: ClientInfo): Promise<SignedIn> {
    if (!this.signupEnabled) throw new Forbidden("Sign-up is disabled.");
    const email = normalizeEmail(rawEmail);
    checkNewPassword(password);
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (m) => {
      const user = await users.insertUser(m, email, passwordHash, "USER");
      if (!user) throw new InvalidInput("Email is already registered.", "email");
      return { user, ...(await this.sessions.open(m, user, client)) };
    });
  }

  async login(rawEmail: string, password: string, client: ClientInfo): Promise<SignedIn> {
    const email = normalizeEmail(rawEmail);
    checkPasswordLength(password);
    // Early, to spare the database while locked; countAttempt checks again after the await.
    this.refuseWhileLimited(email, client.ipAddress);
    const user = await users.findUserByEmail(this.db.manager, email);
    const forgive = this.countAttempt(email, client.ipAddress);
    // Unknown emails pay for a hash check too, so timing does not reveal which accounts exist.
    const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !valid) throw this.failed(email, client.ipAddress);
    forgive();
    this.limiter.recordSuccess(email);
    return this.db.transaction(async (m) => {
      // The password verified above may have been changed (or the account logged out everywhere)
      // while it was being checked: then it no longer opens a session.
      if ((await users.lockAuthEpoch(m, user.id)) !== user.authEpoch) throw new InvalidCredentials();
      return { user, ...(await this.sessions.open(m, user, client)) };
    });
  }

  /** A new token pair and its user; null when the refresh token is not good (or its user is gone). */
  async refresh(refreshToken: string): Promise<SignedIn | null> {
    const issued = await this.sessions.refresh(refreshToken);
    if (!issued) return null;
    const user = await users.findUserById(this.db.manager, issued.session.userId);
    return user ? { user, ...issued } : null;
  }

  /** Checks the current password, stores the new one and ends every other session, in one transaction. */
  async changePassword(caller: Caller, currentPassword: string, newPassword: string, ipAddress: string): Promise<number> {
    checkPasswordLength(currentPassword);
    checkNewPassword(newPassword);
    const user = await users.findUserById(this.db.manager, caller.userId);
    if (!user) throw new Unauthenticated();
    const forgive = this.countAttempt(user.email, ipAddress);
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      this.logFailure(user.email, ipAddress);
      // The caller's token is fine: a typo here must not read as "logged out" (API.md, Changes 1).
      throw new InvalidInput("The current password is not correct.", "currentPassword");
    }
    forgive();
    // Ending every other session for a password that did not change would only log the user out.
    if (newPassword === currentPassword) throw new InvalidInput("The new password must differ from the current one.", "newPassword");
    const passwordHash = await hashPassword(newPassword);
    let ended: SessionEnded[] = [];
    await this.db.transaction(async (m) => {
      await users.updatePasswordHash(m, user.id, passwordHash);
      ended = await this.sessions.endWithin(m, { userId: user.id, exceptSessionId: caller.sessionId }, "PASSWORD_CHANGED", user.id);
    });
    await this.sessions.announce(ended);
    return ended.length;
  }

  /** An operator's change to an account (see account-provisioning.ts); sessions it ends are pushed. */
  async provision(email: string, request: provisioning.ProvisionRequest): Promise<provisioning.Provisioned> {
    const provisioned = await provisioning.provisionUser(this.db, email, request);
    await this.sessions.announce(provisioned.ended);
    return provisioned;
  }

  /** The ADMIN_EMAIL account, created if the address is free. */
  ensureAdmin(email: string, password: string): Promise<provisioning.AdminBootstrap> {
    return provisioning.ensureAdmin(this.db, email, password);
  }

  searchUsers(emailContains: string | undefined, limit: number, offset: number): Promise<UserEntity[]> {
    return users.searchUsers(this.db.manager, emailContains, limit, offset);
  }

  findUser(userId: string): Promise<UserEntity | null> {
    return users.findUserById(this.db.manager, userId);
  }

  /**
   * Counts the attempt as failed before the slow password check, in one synchronous step with the
   * limit check, so a burst of parallel guesses cannot all get past the limit; the caller forgives
   * it when the password is right. A database error before this point counts nothing.
   */
  private countAttempt(email: string, ip: string): () => void {
    this.refuseWhileLimited(email, ip);
    return this.limiter.recordFailure(email, ip);
  }

  private failed(email: string, ip: string): InvalidCredentials {
    this.logFailure(email, ip);
    return new InvalidCredentials();
  }

  private logFailure(email: string, ip: string): void {
    this.logger.info({ email, ip }, "failed password check");
  }

  private refuseWhileLimited(email: string, ip: string): void {
    const retryAfterSeconds = this.limiter.retryAfter(email, ip);
    if (retryAfterSeconds > 0) {
      this.logger.info({ email, ip, retryAfterSeconds }, "password check refused: rate limited");
      throw new RateLimited(retryAfterSeconds);
    }
  }
}
