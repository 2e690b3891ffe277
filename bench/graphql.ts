/** The few GraphQL calls the benches make, as plain fetches (no test helpers in the timed paths). */

export interface Signed {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  userId: string;
}

export const PASSWORD = "correct horse battery staple";
const AUTH_FIELDS = "accessToken refreshToken user { id } session { id }";

export async function gql<T = Record<string, unknown>>(graphqlUrl: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data || body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

function signed(payload: { accessToken: string; refreshToken: string; user: { id: string }; session: { id: string } }): Signed {
  return { accessToken: payload.accessToken, refreshToken: payload.refreshToken, sessionId: payload.session.id, userId: payload.user.id };
}

export async function signUp(graphqlUrl: string, email: string): Promise<Signed> {
  const data = await gql<{ signUp: Parameters<typeof signed>[0] }>(graphqlUrl, `mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { ${AUTH_FIELDS} } }`, { e: email, p: PASSWORD });
  return signed(data.signUp);
}

export async function login(graphqlUrl: string, email: string): Promise<Signed> {
  const data = await gql<{ login: Parameters<typeof signed>[0] }>(graphqlUrl, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ${AUTH_FIELDS} } }`, { e: email, p: PASSWORD });
  return signed(data.login);
}

/** An email no earlier run on the same database has used. */
export function uniqueEmail(label = "bench"): string {
  return `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
}

/** `count` sessions of one new user (the first from the sign-up), `parallel` logins at a time. */
export async function userWithSessions(graphqlUrl: string, count: number, parallel = 4): Promise<Signed[]> {
  const email = uniqueEmail();
  const sessions = [await signUp(graphqlUrl, email)];
  while (sessions.length < count) {
    const batch = Math.min(parallel, count - sessions.length);
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => login(graphqlUrl, email)))));
  }
  return sessions;
}

export const ME = "{ me { id email role } }";
export const MY_SESSIONS = "{ mySessions { id deviceType browser ipAddress lastActiveAt expiresAt isCurrent } }";
export const TERMINATE = "mutation($id: ID!) { terminateSession(sessionId: $id) }";
export const SESSION_REVOKED = "subscription { sessionRevoked { sessionId reason revokedAt } }";
