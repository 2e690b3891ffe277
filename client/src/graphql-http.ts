import { ServiceUnreachable, SessionServiceError } from "./errors.js";

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** POSTs one operation; a network failure or an answer that is not GraphQL is ServiceUnreachable. */
export async function post<T>(fetchImpl: typeof fetch, url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown> | undefined, token: string | null): Promise<GraphQLResponse<T>> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", accept: "application/graphql-response+json, application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ServiceUnreachable(error);
  }
  const body = (await response.json().catch(() => null)) as GraphQLResponse<T> | null;
  if (!body || (body.data === undefined && !body.errors?.length)) throw new ServiceUnreachable(new Error(`HTTP ${response.status}`));
  return body;
}

/** The contract code of the first error, if any. */
export function codeOf(response: GraphQLResponse<unknown>): string | undefined {
  const code = response.errors?.[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

/** The data, or the first error thrown as a SessionServiceError. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  const [first] = response.errors ?? [];
  if (first || !response.data) throw new SessionServiceError(first?.message ?? "No data.", codeOf(response) ?? "INTERNAL_SERVER_ERROR", first?.extensions ?? {});
  return response.data;
}
