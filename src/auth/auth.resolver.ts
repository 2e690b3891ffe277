import { Args, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../context";
import { notFound, unauthenticated } from "../errors";
import { CredentialsArgs, RefreshArgs } from "../graphql/args";
import { AuthPayload } from "./auth-payload.type";

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: "Creates a USER account and its first session." })
  async signUp(@Args() { email, password }: CredentialsArgs, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return AuthPayload.fromSignIn(await ctx.services.accounts.signUp(email, password, ctx.client));
  }

  @Mutation(() => AuthPayload, { description: "Creates a new session for this device." })
  async login(@Args() { email, password }: CredentialsArgs, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return AuthPayload.fromSignIn(await ctx.services.accounts.login(email, password, ctx.client));
  }

  @Mutation(() => AuthPayload, { description: "Rotates the refresh token: returns a new pair; the presented refresh token stops working." })
  async refreshSession(@Args() { refreshToken }: RefreshArgs, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    const issued = await ctx.services.sessions.refresh(refreshToken);
    if (typeof issued === "string") throw unauthenticated("Invalid refresh token.");
    const user = await ctx.services.accounts.findUser(issued.session.userId);
    if (!user) throw notFound("User");
    return AuthPayload.from(issued, user);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Ends the caller's current session (reason LOGOUT)." })
  logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.manager.logout(ctx.caller!);
  }
}
