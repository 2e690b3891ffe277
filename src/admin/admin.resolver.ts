import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { UserType } from "../accounts/user.type";
import type { RequestContext } from "../context";
import { UserIdArgs, UsersArgs } from "../graphql/args";
import { SessionType } from "../sessions/session.type";

@Resolver()
export class AdminResolver {
  @Authorized("ADMIN")
  @Query(() => [SessionType], { description: "ADMIN only: a user's active sessions, most recently active first." })
  async userSessions(@Args() { userId }: UserIdArgs, @Ctx() ctx: RequestContext): Promise<SessionType[]> {
    const sessions = await ctx.services.manager.ofUser(userId);
    return sessions.map((s) => SessionType.from(s, ctx.caller!.sessionId));
  }

  @Authorized("ADMIN")
  @Query(() => [UserType], { description: "ADMIN only: users whose email contains the text (case-insensitive), ordered by email." })
  async users(@Args() { emailContains, limit, offset }: UsersArgs, @Ctx() ctx: RequestContext): Promise<UserType[]> {
    const users = await ctx.services.accounts.searchUsers(emailContains, limit, offset);
    return users.map(UserType.from);
  }

  @Authorized("ADMIN")
  @Mutation(() => Int, { description: "ADMIN only: ends every session of the user; returns how many were ended." })
  adminLogoutUser(@Args() { userId }: UserIdArgs, @Ctx() ctx: RequestContext): Promise<number> {
    return ctx.services.manager.adminLogout(ctx.caller!, userId);
  }
}
