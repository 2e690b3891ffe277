import http from "node:http";
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

/** Everything a client receives: the body read as GraphQL, and the response as it came. */
export interface HttpResult<T = unknown> extends GraphQLResult<T> {
  contentType: string | null;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as received, e.g. to look for leaks in what a client sees. */
  text: string;
}

export interface RequestOptions {
  token?: string;
  /** A list sends the header once per value. */
  headers?: Record<string, string | string[]>;
  timeoutMs?: number;
}

export interface HttpRequest extends RequestOptions {
  /** GET without a body, POST with one. */
  method?: string;
  body?: string;
}

/** The GraphQL parts of a body; a body that is not JSON becomes one error carrying its text. */
function graphQLParts<T>(text: string): Pick<GraphQLResult<T>, "data" | "errors"> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { errors: [{ message: text }] };
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const { data, errors } = parsed as Pick<GraphQLResult<T>, "data" | "errors">;
  return { ...(data !== undefined ? { data } : {}), ...(errors !== undefined ? { errors } : {}) };
}

const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

/**
 * The one raw HTTP request of the tests. node:http rather than fetch: the request carries exactly
 * the given headers (fetch always adds a User-Agent), and an answer the server sends before it
 * has read the request (431 for oversized headers) still arrives.
 */
export function sendHttp<T = unknown>(url: string, init: HttpRequest = {}): Promise<HttpResult<T>> {
  const { body, token } = init;
  const headers: Record<string, string | string[] | number> = {
    ...(body !== undefined ? { "content-length": Buffer.byteLength(body) } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...init.headers,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: init.method ?? (body === undefined ? "GET" : "POST"),
        headers,
        // A new connection each time: nothing kept alive across a server's restart or stop.
        agent: false,
        // Never unbounded: a test should fail naming the request that hung, not at jest's own timeout.
        signal: AbortSignal.timeout(init.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"] ?? null, headers: res.headers, text, ...graphQLParts<T>(text) }),
        );
      },
    );
    req.on("error", (error) => reject(Object.assign(error, { message: `${init.method ?? (body === undefined ? "GET" : "POST")} ${url}: ${error.message}` })));
    req.end(body);
  });
}

/** POSTs a JSON body (a string is sent as it is) the way a GraphQL client does. */
export function requestRaw<T = unknown>(url: string, body: unknown, options: RequestOptions = {}): Promise<HttpResult<T>> {
  return sendHttp<T>(url, {
    ...options,
    headers: { "content-type": "application/json", ...options.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Sends one typed operation over HTTP exactly as a client would. */
export function request<T, V>(url: string, document: TypedDocumentNode<T, V>, variables?: V, options: RequestOptions = {}): Promise<HttpResult<T>> {
  return requestRaw<T>(url, { query: print(document), variables }, options);
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
