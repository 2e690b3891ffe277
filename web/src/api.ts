import { Client, cacheExchange, fetchExchange, subscriptionExchange, type CombinedError } from "urql";
import { graphql } from "./gql";
import { createLiveSocket } from "./live-socket";
import { REVOCATION_REASONS, Session, type RefreshOutcome, type SignedOutReason } from "./session";

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

/**
 * fetch for every HTTP operation: one that comes back UNAUTHENTICATED (the access token expired
 * while the tab slept, or the server restarted with new keys) refreshes once and is sent again
 * with the new token. A refused refresh signs the page out. refreshSession itself is never retried.
 */
async function fetchRefreshingOnce(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (operationNameOf(init) === "RenewTokens" || !(await saysUnauthenticated(response))) return response;
  const token = await session.refresh();
  if (!token) return response;
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

function operationNameOf(init: RequestInit | undefined): string | undefined {
  try {
    return typeof init?.body === "string" ? (JSON.parse(init.body) as { operationName?: string }).operationName : undefined;
  } catch {
    return undefined;
  }
}

async function saysUnauthenticated(response: Response): Promise<boolean> {
  if (!response.headers.get("content-type")?.includes("json")) return false;
  const body = (await response.clone().json().catch(() => null)) as { errors?: { extensions?: { code?: unknown } }[] } | null;
  return body?.errors?.some((e) => e.extensions?.code === "UNAUTHENTICATED") ?? false;
}

async function refreshCall(refreshToken: string): Promise<RefreshOutcome> {
  const result = await client.mutation(RenewTokensMutation, { refreshToken }, { requestPolicy: "network-only" }).toPromise();
  if (result.data?.refreshSession) return result.data.refreshSession;
  if (errorCode(result.error) !== "UNAUTHENTICATED") return "unreachable";
  // An ended session's refresh says why it ended (docs/api.md, Change 12).
  const reason = result.error?.graphQLErrors[0]?.extensions?.reason;
  return { refused: (REVOCATION_REASONS as readonly unknown[]).includes(reason) ? (reason as SignedOutReason) : "REFRESH_REFUSED" };
}

export const session = new Session(refreshCall);

export const live = createLiveSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`, session);

export const client: Client = new Client({
  url: "/graphql",
  // Always POST: the service refuses simple GETs (CSRF protection).
  preferGetMethod: false,
  fetch: fetchRefreshingOnce,
  fetchOptions: () => {
    const token = session.token();
    return token ? { headers: { authorization: `Bearer ${token}` } } : {};
  },
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: live.client.subscribe({ ...request, query: request.query ?? "" }, sink) }),
      }),
    }),
  ],
});

// Signed out: no socket may linger with the old credentials.
session.subscribe(() => {
  if (session.state.status === "signed-out") live.client.terminate();
});
