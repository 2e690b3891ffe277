/** Checks and set-ups that several test files make against a running server. */
import { MeDocument, SignUpDocument, type SessionFieldsFragment } from "../../web/src/gql/graphql";
import { PASSWORD, uniqueEmail } from "./accounts";
import { codeOf, dataOf, request, type GraphQLResult } from "./graphql-client";
import type { TestServer } from "./test-server";

/** The token still works, so whatever the test just tried did not end its session. */
export async function expectActive(server: TestServer, token: string): Promise<void> {
  dataOf(await request(server.graphqlUrl, MeDocument, {}, { token }));
}

/** Refused with this contract code, and nothing returned besides the error. */
export function expectCode(result: GraphQLResult<unknown>, code: string): void {
  expect(codeOf(result)).toBe(code);
  expect(result.data ?? null).toBeNull();
}

/** How many accounts have exactly this email, as the service normalises it. */
export async function accountsNamed(server: TestServer, email: string): Promise<number> {
  const normalised = email.trim().toLowerCase();
  const found = await server.services.accounts.searchUsers(normalised, 10, 0);
  return found.filter((u) => u.email === normalised).length;
}

/** The session a sign-up creates when its request carries these headers. */
export async function sessionFrom(server: TestServer, headers: Record<string, string>): Promise<SessionFieldsFragment> {
  const result = await request(server.graphqlUrl, SignUpDocument, { email: uniqueEmail(), password: PASSWORD }, { headers });
  return dataOf(result).signUp.session;
}

/** What `/healthz` says now: the bus, how tokens are checked, the database. Never unbounded: a hung server fails the check that asked. */
export async function healthOf(server: { url: string }): Promise<Record<string, string>> {
  return (await (await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) })).json()) as Record<string, string>;
}
