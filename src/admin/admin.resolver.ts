import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { AccountService } from "../accounts/account-service";
import { UserType } from "../accounts/user.type";
import type { RequestContext } from "../graphql/context";
import type { SessionAccess } from "../sessions/session-access";
import { SessionType } from "../sessions/session.type";
import { UserIdArgs, UsersArgs } from "./admin.args";

@Resolver()
export class AdminResolver {
  constructor(
    private readonly accounts: AccountService,
    private readonly access: SessionAccess,
  ) {}

  @Authorized("ADMIN")
  @Query(() => [SessionType], { description: "ADMIN only: a user's active sessions, most recently active first." })
  async userSessions(@Args() { userId }: UserIdArgs, @Ctx() ctx: RequestContext): Promise<SessionType[]> {
    const sessions = await this.access.ofUser(userId);
    return sessions.map((s) => SessionType.listed(s, ctx.caller!.sessionId));
  }

  @Authorized("ADMIN")
  @Query(() => [UserType], { description: "ADMIN only: users whose email contains the text (case-insensitive), ordered by email." })
  async users(@Args() { emailContains, limit, offset }: UsersArgs): Promise<UserType[]> {
    const users = await this.accounts.searchUsers(emailContains, limit, offset);
    return users.map(UserType.from);
  }

  @Authorized("ADMIN")
  @Mutation(() => Int, { description: "ADMIN only: ends every session of the user; returns how many were ended." })
  adminLogoutUser(@Args() { userId }: UserIdArgs, @Ctx() ctx: RequestContext): Promise<number> {
    return this.access.adminLogout(ctx.caller!, userId);
  }
}
