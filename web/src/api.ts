import { createClient as createSocketClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange, type CombinedError } from "urql";
import { graphql } from "./gql";
import { Session, type RefreshOutcome } from "./session";

const RenewTokensMutation = graphql(`
  mutation RenewTokens($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken
      accessTokenExpiresAt
      refreshToken
    }
  }
`);

/** The contract's code of a failed operation, or null for a network failure. */
export function errorCode(error: CombinedError | undefined): string | null {
  const code = error?.graphQLErrors[0]?.extensions?.code;
  return typeof code === "string" ? code : null;
}

/** A sentence for a failed operation: the server's message for the caller's mistakes, a generic one otherwise. */
export function errorMessage(error: CombinedError | undefined): string | null {
  if (!error) return null;
  const [first] = error.graphQLErrors;
  if (!first) return "The server cannot be reached. Try again.";
  return errorCode(error) === "INTERNAL_SERVER_ERROR" ? "Something went wrong on our side. Try again." : first.message;
}

const socketUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;

// The token every socket presents at connection_init is fetched fresh when it (re)connects.
const socket = createSocketClient({
  url: socketUrl,
  lazy: true,
  retryAttempts: 5,
  connectionParams: async () => ({ authorization: `Bearer ${await session.freshToken()}` }),
  shouldRetry: () => session.state.status === "signed-in",
});

export const client: Client = new Client({
  url: "/graphql",
  // Always POST: the service refuses simple GETs (CSRF protection).
  preferGetMethod: false,
  fetchOptions: () => {
    const token = session.token();
    return token ? { headers: { authorization: `Bearer ${token}` } } : {};
  },
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: socket.subscribe({ ...request, query: request.query ?? "" }, sink) }),
      }),
    }),
  ],
});

async function refreshCall(refreshToken: string): Promise<RefreshOutcome> {
  const result = await client.mutation(RenewTokensMutation, { refreshToken }, { requestPolicy: "network-only" }).toPromise();
  if (result.data?.refreshSession) return result.data.refreshSession;
  return errorCode(result.error) === "UNAUTHENTICATED" ? "refused" : "unreachable";
}

export const session = new Session(refreshCall);

// Signed out: no socket may linger with the old credentials.
session.subscribe(() => {
  if (session.state.status === "signed-out") socket.terminate();
});
