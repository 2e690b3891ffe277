import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { authorizedCaller } from "../graphql/auth-checker";
import type { RequestContext } from "../graphql/context";
import { currentFirst, type SessionAccess } from "./session-access";
import type { ListedSession } from "./session-store";
import { RenameSessionArgs, SessionIdArgs } from "./session.args";
import { SessionType } from "./session.type";

/**
 * A held list's views, for each of its sessions that asked, built once and answered again while
 * the list is held: the Sessions page of every device of the user reads the same twenty.
 */
const views = new WeakMap<readonly ListedSession[], Map<string, SessionType[]>>();

function viewsOf(sessions: readonly ListedSession[], currentSessionId: string): SessionType[] {
  let bySession = views.get(sessions);
  if (!bySession) views.set(sessions, (bySession = new Map()));
  let seen = bySession.get(currentSessionId);
  if (!seen) bySession.set(currentSessionId, (seen = currentFirst(sessions, currentSessionId).map((s) => SessionType.listed(s, currentSessionId))));
  return seen;
}

@Resolver()
export class SessionResolver {
  constructor(private readonly access: SessionAccess) {}

  // Checks its caller itself, as `me` does (see authorizedCaller): the Sessions page's list is
  // read as often as the profile, and answered from memory without waiting.
  @Query(() => [SessionType], { description: "The caller's active sessions: the current one first, then the most recently active." })
  mySessions(@Ctx() ctx: RequestContext): SessionType[] | Promise<SessionType[]> {
    const caller = authorizedCaller(ctx);
    const sessions = this.access.mine(caller);
    return sessions instanceof Promise ? sessions.then((read) => viewsOf(read, caller.sessionId)) : viewsOf(sessions, caller.sessionId);
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
