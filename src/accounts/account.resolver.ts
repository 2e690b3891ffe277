import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../context";
import { unauthenticated } from "../errors";
import { ChangePasswordArgs } from "../graphql/args";
import { UserType } from "./user.type";

@Resolver()
export class AccountResolver {
  @Authorized()
  @Query(() => UserType, { description: "The caller. UNAUTHENTICATED without a valid access token of an active session." })
  async me(@Ctx() ctx: RequestContext): Promise<UserType> {
    const user = await ctx.services.accounts.me(ctx.caller!);
    if (!user) throw unauthenticated();
    return UserType.from(user);
  }

  @Authorized()
  @Mutation(() => Int, { description: "Changes the password and ends every other session of the caller; returns how many were ended." })
  changePassword(@Args() { currentPassword, newPassword }: ChangePasswordArgs, @Ctx() ctx: RequestContext): Promise<number> {
    return ctx.services.accounts.changePassword(ctx.caller!, currentPassword, newPassword, ctx.client.ipAddress);
  }
}
