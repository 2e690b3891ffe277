import type { Queryable } from "../db/queryable";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password";
import type { UserEntity } from "../db/entities/user.entity";
import type { Caller, ClientInfo } from "../domain/caller";
import { Forbidden, InvalidCredentials, InvalidInput, RateLimited, Unauthenticated } from "../domain/errors";
import type { Logger } from "../logging/logger";
import type { IssuedTokens, SessionService } from "../sessions/session-service";
import * as provisioning from "./account-provisioning";
import * as activity from "./activity-store";
import { checkNewPassword, checkPasswordLength, normalizeEmail } from "./credentials";
import type { AttemptLimiter } from "./attempt-limiter";
import type { DeviceTokens } from "./device-tokens";
import * as users from "./user-store";
import { UserProfiles } from "./user-profiles";

export interface SignedIn extends IssuedTokens {
  user: UserEntity;
  /** For the device to present at its next login (see DeviceTokens). */
  deviceToken: string;
}

/** Accounts: sign-up, login, refresh, password change and the administrator bootstrap. */
export class AccountService {
  constructor(
    private readonly db: Queryable,
    private readonly sessions: SessionService,
    private readonly limiter: AttemptLimiter,
    private readonly devices: DeviceTokens,
    private readonly signupEnabled: boolean,
    private readonly logger: Logger,
    private readonly profiles: UserProfiles = new UserProfiles((id) => users.findUserById(db, id), { capacity: 10_000, ttlMs: 60_000 }),
  ) {}

  /** Drops what the profile cache holds of the user (a session of theirs ended, or their role changed). */
  forgetProfile(userId: string): void {
    this.profiles.forget(userId);
  }

  async signUp(rawEmail: string, password: string, client: ClientInfo): Promise<SignedIn> {
    if (!this.signupEnabled) throw new Forbidden("Sign-up is disabled.");
    const email = normalizeEmail(rawEmail);
    checkNewPassword(password);
    // Each costs a password hash, and "already registered" tells whether an account exists.
    await this.limited(() => this.limiter.signUp(client.ipAddress), "sign-up refused: rate limited", email, client);
    const passwordHash = await hashPassword(password);
    const signedIn = await this.sessions.inTransaction(async (tx) => {
      const user = await users.insertUser(tx.sql, email, passwordHash, "USER");
      if (!user) throw new InvalidInput("Email is already registered.", "email");
      const issued = await this.sessions.open(tx, user, client);
      await tx.recordActivity("SIGNED_UP", issued.session.id);
      return { user, ...issued, deviceToken: await this.devices.issue(tx.sql, user.id, issued.session.id) };
    });
    await this.limiter.trustNetwork(email, client.ipAddress);
    return signedIn;
  }

  /** `deviceToken`: what an earlier login or sign-up of this device gave it, if it kept it. */
  async login(rawEmail: string, password: string, client: ClientInfo, deviceToken?: string | null): Promise<SignedIn> {
    const email = normalizeEmail(rawEmail);
    checkPasswordLength(password);
    // A device token of another account, forged or expired makes an untrusted client, like none.
    const device = await this.devices.recognise(deviceToken, email);
    const attempt = await this.limited(() => this.limiter.begin(email, client.ipAddress, device), "password check refused: rate limited", email, client, email);
    let user: UserEntity | null;
    let valid: boolean;
    try {
      user = await users.findUserByEmail(this.db, email);
      // Unknown emails pay for a hash check too, so timing does not reveal which accounts exist.
      valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    if (!user || !valid) {
      await attempt.failed();
      await activity.recordLoginRefusal(this.db, "LOGIN_FAILED", user?.id ?? null, client);
      throw this.failed(email, client.ipAddress);
    }
    await attempt.succeeded();
    const verified = user;
    return this.sessions.inTransaction(async (tx) => {
      // The password verified above may have been changed (or the account logged out everywhere)
      // while it was being checked: then it no longer opens a session.
      if ((await users.lockAuthEpoch(tx.sql, verified.id)) !== verified.authEpoch) throw new InvalidCredentials();
      const issued = await this.sessions.open(tx, verified, client);
      await tx.recordActivity("LOGGED_IN", issued.session.id);
      return { user: verified, ...issued, deviceToken: await this.devices.issue(tx.sql, verified.id, issued.session.id, device) };
    });
  }

  /** A new token pair and its user; null when the refresh token is not good (or its user is gone). */
  async refresh(refreshToken: string): Promise<SignedIn | null> {
    const issued = await this.sessions.refresh(refreshToken);
    if (!issued) return null;
    const user = await users.findUserById(this.db, issued.session.userId);
    return user ? { user, ...issued, deviceToken: await this.devices.refreshed(user.id, issued.session.id) } : null;
  }

  /** Checks the current password, stores the new one and ends every other session, in one transaction. */
  async changePassword(caller: Caller, currentPassword: string, newPassword: string, client: ClientInfo): Promise<number> {
    const ipAddress = client.ipAddress;
    checkPasswordLength(currentPassword);
    checkNewPassword(newPassword);
    const user = await users.findUserById(this.db, caller.userId);
    if (!user) throw new Unauthenticated();
    const attempt = await this.limited(() => this.limiter.begin(user.email, ipAddress), "password check refused: rate limited", user.email, client, user.email);
    const valid = await verifyPassword(user.passwordHash, currentPassword).catch(async (error) => {
      await attempt.abandoned();
      throw error;
    });
    if (!valid) {
      await attempt.failed();
      await activity.recordFromClient(this.db, user.id, "PASSWORD_CHANGE_FAILED", client, caller.sessionId);
      this.logFailure(user.email, ipAddress);
      // The caller's token is fine: a typo here must not read as "logged out" (docs/api.md, Changes 1).
      throw new InvalidInput("The current password is not correct.", "currentPassword");
    }
    await attempt.succeeded();
    // Ending every other session for a password that did not change would only log the user out.
    if (newPassword === currentPassword) throw new InvalidInput("The new password must differ from the current one.", "newPassword");
    const passwordHash = await hashPassword(newPassword);
    const ended = await this.sessions.inTransaction(async (tx) => {
      await users.updatePasswordHash(tx.sql, user.id, passwordHash);
      await tx.recordActivity("PASSWORD_CHANGED", caller.sessionId);
      return tx.end({ userId: user.id, exceptSessionId: caller.sessionId }, "PASSWORD_CHANGED", user.id);
    });
    return ended.length;
  }

  /** An operator's change to an account (see account-provisioning.ts); sessions it ends are pushed. */
  provision(email: string, request: provisioning.ProvisionRequest): Promise<provisioning.Provisioned> {
    return provisioning.provisionUser(this.sessions, email, request);
  }

  /** The ADMIN_EMAIL account, created if the address is free. */
  ensureAdmin(email: string, password: string): Promise<provisioning.AdminBootstrap> {
    return provisioning.ensureAdmin(this.db, email, password);
  }

  searchUsers(emailContains: string | undefined, limit: number, offset: number): Promise<UserEntity[]> {
    return users.searchUsers(this.db, emailContains, limit, offset);
  }

  /** A page of the account's activity trail, newest first. */
  activity(userId: string, page: activity.PageRequest): Promise<{ rows: activity.ActivityRow[]; hasNextPage: boolean }> {
    return activity.activityPage(this.db, userId, page);
  }

  findUser(userId: string): Promise<UserEntity | null> {
    return users.findUserById(this.db, userId);
  }

  /** The caller's own account, as `me` shows it: from a short-lived cache (see UserProfiles). */
  profile(userId: string): UserEntity | null | Promise<UserEntity | null> {
    return this.profiles.get(userId);
  }

  /**
   * Runs a limiter step; a refusal is logged (who, from where, for how long) on its way out and,
   * for a password check on an existing account, goes into that account's activity trail.
   */
  private async limited<T>(step: () => Promise<T>, refusal: string, email: string, client: ClientInfo, accountEmail?: string): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof RateLimited) {
        this.logger.info({ email, ip: client.ipAddress, retryAfterSeconds: error.retryAfterSeconds }, refusal);
        if (accountEmail) {
          const account = await users.findUserByEmail(this.db, accountEmail);
          await activity.recordLoginRefusal(this.db, "LOGIN_RATE_LIMITED", account?.id ?? null, client);
        }
      }
      throw error;
    }
  }

  private failed(email: string, ip: string): InvalidCredentials {
    this.logFailure(email, ip);
    return new InvalidCredentials();
  }

  private logFailure(email: string, ip: string): void {
    this.logger.info({ email, ip }, "failed password check");
  }

}
