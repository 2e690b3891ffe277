import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

export interface GraphQLResponseError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
  path?: (string | number)[];
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLResponseError[];
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

/** Sends one typed operation over HTTP exactly as a client would. */
export async function request<T, V>(
  url: string,
  document: TypedDocumentNode<T, V>,
  variables?: V,
  options: RequestOptions = {},
): Promise<GraphQLResult<T>> {
  return requestRaw<T>(url, { query: print(document), variables }, options);
}

export async function requestRaw<T = unknown>(url: string, body: unknown, options: RequestOptions = {}): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: { data?: T | null; errors?: GraphQLResponseError[] } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { errors: [{ message: text }] };
  }
  return { status: response.status, ...parsed };
}

/** The data of a successful result; fails the test with the errors otherwise. */
export function dataOf<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length || !result.data) {
    throw new Error(`expected data, got ${result.status}: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** The contract code of the first error. */
export function codeOf(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
