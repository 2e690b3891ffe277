import type { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password";
import type { Role, UserEntity } from "../db/entities/user.entity";
import { badUserInput, forbidden, invalidCredentials, notFound, rateLimited } from "../errors";
import type { RevocationEvent } from "../sessions/revocation-event";
import type { Caller, ClientInfo, IssuedTokens, SessionService } from "../sessions/session-service";
import * as provisioning from "./account-provisioning";
import { checkNewPassword, checkPasswordLength, normalizeEmail } from "./credentials";
import type { Logger } from "../logger";
import type { LoginRateLimiter } from "./login-rate-limiter";
import * as users from "./user-store";

export interface SignedIn extends IssuedTokens {
  user: UserEntity;
}

/** Accounts: sign-up, login, password change and the administrator bootstrap. */
export class AccountService {
  constructor(
    private readonly db: DataSource,
    private readonly sessions: SessionService,
    private readonly limiter: LoginRateLimiter,
    private readonly signupEnabled: boolean,
    private readonly logger: Logger,
  ) {}

  async signUp(rawEmail: string, password: string, client: ClientInfo): Promise<SignedIn> {
    if (!this.signupEnabled) throw forbidden("Sign-up is disabled.");
    const email = normalizeEmail(rawEmail);
    checkNewPassword(password);
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (m) => {
      const user = await users.insertUser(m, email, passwordHash, "USER");
      if (!user) throw badUserInput("Email is already registered.");
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
    return this.db.transaction(async (m) => ({ user, ...(await this.sessions.open(m, user, client)) }));
  }

  me(caller: Caller): Promise<UserEntity | null> {
    return users.findUserById(this.db.manager, caller.userId);
  }

  /** Checks the current password, stores the new one and ends every other session, in one transaction. */
  async changePassword(caller: Caller, currentPassword: string, newPassword: string, ipAddress: string): Promise<number> {
    checkPasswordLength(currentPassword);
    checkNewPassword(newPassword);
    const user = await users.findUserById(this.db.manager, caller.userId);
    if (!user) throw notFound("User");
    const forgive = this.countAttempt(user.email, ipAddress);
    if (!(await verifyPassword(user.passwordHash, currentPassword))) throw this.failed(user.email, ipAddress);
    forgive();
    const passwordHash = await hashPassword(newPassword);
    let ended: RevocationEvent[] = [];
    await this.db.transaction(async (m) => {
      await users.updatePasswordHash(m, user.id, passwordHash);
      ended = await this.sessions.endWithin(m, { userId: user.id, exceptSessionId: caller.sessionId }, "PASSWORD_CHANGED", user.id);
    });
    await this.sessions.announce(ended);
    return ended.length;
  }

  createOrSetRole(email: string, password: string | undefined, role: Role): Promise<{ user: UserEntity; created: boolean }> {
    return provisioning.createOrSetRole(this.db.manager, email, password, role);
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

  private failed(email: string, ip: string): GraphQLError {
    this.logger.info(`failed password check for ${email} from ${ip}`);
    return invalidCredentials();
  }

  private refuseWhileLimited(email: string, ip: string): void {
    const retryAfter = this.limiter.retryAfter(email, ip);
    if (retryAfter > 0) {
      this.logger.info(`refused a password check for ${email} from ${ip}: rate limited for ${retryAfter} s`);
      throw rateLimited(retryAfter);
    }
  }
}
