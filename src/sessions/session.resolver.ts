import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../context";
import { badUserInput } from "../errors";
import { SessionIdArgs } from "../graphql/args";
import { SessionRevokedEvent } from "../realtime/session-revoked-event.type";
import type { RevocationEvent } from "./revocation-event";
import { SessionType } from "./session.type";

const WEBSOCKET_ONLY = "Subscribe over the WebSocket with an access token in connection_init.";

@Resolver()
export class SessionResolver {
  @Authorized()
  @Query(() => [SessionType], { description: "The caller's active sessions: the current one first, then the most recently active." })
  async mySessions(@Ctx() ctx: RequestContext): Promise<SessionType[]> {
    const sessions = await ctx.services.manager.mine(ctx.caller!);
    return sessions.map((s) => SessionType.from(s, ctx.caller!.sessionId));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Ends one of the caller's sessions. True if it was active; false if it had already ended." })
  terminateSession(@Args() { sessionId }: SessionIdArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.manager.terminate(ctx.caller!, sessionId);
  }

  @Authorized()
  @Mutation(() => Int, { description: "Ends every session of the caller except the current one; returns how many were ended." })
  terminateOtherSessions(@Ctx() ctx: RequestContext): Promise<number> {
    return ctx.services.manager.terminateOthers(ctx.caller!);
  }

  // No @Authorized: a connection whose session has just ended must still get its event.
  // Only sockets that authenticated at connection_init have a connection to watch.
  @Subscription(() => SessionRevokedEvent, {
    description: "Pushed to a connection when the session it authenticated with is ended, by any cause; the server then closes the connection.",
    subscribe: ({ context }: { context: RequestContext }) => {
      if (!context.connection) throw badUserInput(WEBSOCKET_ONLY);
      return context.services.live.watch(context.connection);
    },
  })
  sessionRevoked(@Root() event: RevocationEvent | undefined): SessionRevokedEvent {
    // Over HTTP a subscription is executed like a query: no event, so the client's mistake, not a crash.
    if (!event) throw badUserInput(WEBSOCKET_ONLY);
    return SessionRevokedEvent.from(event);
  }
}
