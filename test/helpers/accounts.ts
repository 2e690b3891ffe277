import { randomUUID } from "node:crypto";
import { LoginDocument, SignUpDocument, type AuthFieldsFragment } from "../../web/src/gql/graphql";
import { dataOf, request } from "./graphql-client";
import type { TestServer } from "./test-server";

export const PASSWORD = "correct horse battery";

export const USER_AGENTS = {
  macChrome: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  windowsEdge: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
  ubuntuFirefox: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  iphoneSafari: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
  androidChrome: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 Mobile Safari/537.36",
  chromebook: "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};

/** An email no other test (or earlier run on a shared PostgreSQL) has used. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomUUID()}@example.com`;
}

export type Signed = AuthFieldsFragment;

export async function signUp(server: TestServer, email = uniqueEmail(), userAgent = USER_AGENTS.macChrome): Promise<Signed> {
  const result = await request(server.graphqlUrl, SignUpDocument, { email, password: PASSWORD }, { headers: { "user-agent": userAgent } });
  return dataOf(result).signUp;
}

export async function login(server: TestServer, email: string, userAgent = USER_AGENTS.macChrome, password = PASSWORD): Promise<Signed> {
  const result = await request(server.graphqlUrl, LoginDocument, { email, password }, { headers: { "user-agent": userAgent } });
  return dataOf(result).login;
}

/** One user logged in on several devices: the first session comes from sign-up. */
export async function userWithSessions(server: TestServer, count: number): Promise<{ email: string; sessions: Signed[] }> {
  const email = uniqueEmail();
  const sessions = [await signUp(server, email)];
  while (sessions.length < count) sessions.push(await login(server, email));
  return { email, sessions };
}
