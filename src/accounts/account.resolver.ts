import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { UserEntity } from "../db/entities/user.entity";
import type { Caller } from "../domain/caller";
import { Unauthenticated } from "../domain/errors";
import { authorizedCaller } from "../graphql/auth-checker";
import type { RequestContext } from "../graphql/context";
import type { AccountService } from "./account-service";
import { checkedDeviceInput } from "../domain/device-input";
import { ChangePasswordArgs, LoginArgs, RefreshArgs, SignUpArgs } from "./account.args";
import { AuthPayload } from "./auth-payload.type";
import { UserType } from "./user.type";

/** The caller as `me` shows them. The caller's role is current (the token check knows of role changes); a cached row's may not be. */
function profileOf(user: UserEntity | null, caller: Caller): UserType {
  if (!user) throw new Unauthenticated();
  return UserType.from({ ...user, role: caller.role });
}

/** Everything that proves or changes who someone is: sign-up, login, refresh, me, password. */
@Resolver()
export class AccountResolver {
  constructor(private readonly accounts: AccountService) {}

  @Mutation(() => AuthPayload, { description: "Creates a USER account and its first session." })
  async signUp(@Args() { email, password, device }: SignUpArgs, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return AuthPayload.from(await this.accounts.signUp(email, password, { ...ctx.client, device: checkedDeviceInput(device) }));
  }

  @Mutation(() => AuthPayload, { description: "Creates a new session for this device." })
  async login(@Args() { email, password, deviceToken, device }: LoginArgs, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return AuthPayload.from(await this.accounts.login(email, password, { ...ctx.client, device: checkedDeviceInput(device) }, deviceToken));
  }

  @Mutation(() => AuthPayload, { description: "Rotates the refresh token: returns a new pair; the presented refresh token stops working." })
  async refreshSession(@Args() { refreshToken }: RefreshArgs): Promise<AuthPayload> {
    const signedIn = await this.accounts.refresh(refreshToken);
    if (!signedIn) throw new Unauthenticated("Invalid refresh token.");
    return AuthPayload.from(signedIn);
  }

  @Query(() => UserType, { description: "The caller. UNAUTHENTICATED without a valid access token of an active session." })
  me(@Ctx() ctx: RequestContext): UserType | Promise<UserType> {
    const caller = authorizedCaller(ctx);
    const user = this.accounts.profile(caller.userId);
    return user instanceof Promise ? user.then((read) => profileOf(read, caller)) : profileOf(user, caller);
  }

  @Authorized()
  @Mutation(() => Int, { description: "Changes the password and ends every other session of the caller; returns how many were ended." })
  changePassword(@Args() { currentPassword, newPassword }: ChangePasswordArgs, @Ctx() ctx: RequestContext): Promise<number> {
    return this.accounts.changePassword(ctx.caller!, currentPassword, newPassword, ctx.client);
  }
}
