import { createSessionClient, SessionServiceError } from "@session-service/client";
import { Client, cacheExchange, fetchExchange, subscriptionExchange, type CombinedError } from "urql";

/**
 * The page is the client package's first user: it keeps the tokens, the socket and its
 * reconnects, and signs the page out when the session ends. urql sends the page's own typed
 * operations through the package's fetch (token added, refreshed once on UNAUTHENTICATED) and
 * its socket.
 */
export const sessionClient = createSessionClient({ url: new URL("/graphql", location.href).href });

export const client: Client = new Client({
  url: "/graphql",
  // Always POST: the service refuses simple GETs (CSRF protection).
  preferGetMethod: false,
  fetch: sessionClient.fetch,
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: sessionClient.subscribe({ ...request, query: request.query ?? "" }, sink) }),
      }),
    }),
  ],
});

/** A sentence for a failed operation: the server's message for the caller's mistakes, a generic one otherwise. */
function sentence(failure: { code: unknown; message: string } | null): string {
  if (!failure) return "The server cannot be reached. Try again.";
  return failure.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on our side. Try again." : failure.message;
}

/** The sentence for what urql reports (null when nothing failed). */
export function errorMessage(error: CombinedError | undefined): string | null {
  if (!error) return null;
  const [first] = error.graphQLErrors;
  return sentence(first ? { code: first.extensions?.code, message: first.message } : null);
}

/** The same sentence for what the package throws. */
export function thrownMessage(error: unknown): string {
  return sentence(error instanceof SessionServiceError ? error : null);
}
