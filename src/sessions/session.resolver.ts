import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import type { SessionAccess } from "./session-access";
import { RenameSessionArgs, SessionIdArgs } from "./session.args";
import { SessionType } from "./session.type";

@Resolver()
export class SessionResolver {
  constructor(private readonly access: SessionAccess) {}

  @Authorized()
  @Query(() => [SessionType], { description: "The caller's active sessions: the current one first, then the most recently active." })
  async mySessions(@Ctx() ctx: RequestContext): Promise<SessionType[]> {
    const sessions = await this.access.mine(ctx.caller!);
    return sessions.map((s) => SessionType.listed(s, ctx.caller!.sessionId));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Ends one of the caller's sessions. True if it was active; false if it had already ended." })
  terminateSession(@Args() { sessionId }: SessionIdArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return this.access.terminate(ctx.caller!, sessionId);
  }

  @Authorized()
  @Mutation(() => SessionType, { description: "Names one of the caller's sessions; NOT_FOUND when it is not theirs (an ADMIN may name any)." })
  async renameSession(@Args() { sessionId, name }: RenameSessionArgs, @Ctx() ctx: RequestContext): Promise<SessionType> {
    return SessionType.from(await this.access.rename(ctx.caller!, sessionId, name), ctx.caller!.sessionId);
  }

  @Authorized()
  @Mutation(() => Int, { description: "Ends every session of the caller except the current one; returns how many were ended." })
  terminateOtherSessions(@Ctx() ctx: RequestContext): Promise<number> {
    return this.access.terminateOthers(ctx.caller!);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Ends the caller's current session (reason LOGOUT)." })
  logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    return this.access.logout(ctx.caller!);
  }
}
