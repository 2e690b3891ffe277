import { Resolver, Root, Subscription } from "type-graphql";
import { InvalidInput, Unauthenticated } from "../domain/errors";
import type { SessionEntity } from "../db/entities/session.entity";
import type { SessionChangeEvent } from "../domain/session-change-event";
import type { SessionEnded } from "../domain/session-ended";
import type { SocketContext } from "../graphql/context";
import { SessionChangedEventType } from "./session-changed-event.type";
import { SessionRevokedEvent } from "./session-revoked-event.type";

const WEBSOCKET_ONLY = "Subscribe over the WebSocket with an access token in connection_init.";

/** The two live feeds of a socket: its own session's ending, and its user's session changes. */
@Resolver()
export class LiveSessionResolver {
  // No @Authorized: a connection whose session has just ended must still get its event.
  // Only sockets that authenticated at connection_init have a connection to watch.
  @Subscription(() => SessionRevokedEvent, {
    description: "Pushed to a connection when the session it authenticated with is ended, by any cause; the server then closes the connection.",
    subscribe: ({ context }: { context: SocketContext }) => {
      if (!context.connection) throw new InvalidInput(WEBSOCKET_ONLY);
      return context.connection.ending();
    },
  })
  sessionRevoked(@Root() event: SessionEnded | undefined): SessionRevokedEvent {
    // Over HTTP a subscription is executed like a query: no event, so the client's mistake, not a crash.
    if (!event) throw new InvalidInput(WEBSOCKET_ONLY);
    return SessionRevokedEvent.from(event);
  }

  @Subscription(() => SessionChangedEventType, {
    description: "Every start and end of the caller's sessions, on every instance, as they happen: a live sessions list.",
    subscribe: ({ context }: { context: SocketContext }) => {
      if (!context.connection) throw new InvalidInput(WEBSOCKET_ONLY);
      if (context.authFailure) throw context.authFailure;
      if (!context.caller) throw new Unauthenticated();
      return context.connection.changes(context.caller.userId);
    },
  })
  mySessionsChanged(@Root() event: SessionChangeEvent<SessionEntity> | undefined): SessionChangedEventType {
    if (!event) throw new InvalidInput(WEBSOCKET_ONLY);
    return SessionChangedEventType.from(event);
  }
}
