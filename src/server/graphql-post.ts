import type http from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { RequestContext } from "../graphql/context";
import { ErrorCode } from "../graphql/error-mapping";

/** A connect-style middleware (helmet, cors) run on the bare Node objects. */
export type NodeMiddleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;

export interface GraphQLPostOptions {
  maxBodyBytes: number;
  /** Run first, in order; one may answer the request itself (a CORS refusal). */
  middleware: NodeMiddleware[];
  context: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<RequestContext>;
}

const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

/**
 * Whether a request is the API's common case: a POST of plain UTF-8 JSON to the GraphQL path.
 * Only those take the direct path; anything else (GET, the IDE, other types, a compressed
 * body) goes through Express, whose parsers and routers answer it as before.
 */
export function isPlainGraphQLPost(req: http.IncomingMessage, path: string): boolean {
  if (req.method !== "POST" || req.headers["content-encoding"] !== undefined) return false;
  const url = req.url ?? "";
  const query = url.indexOf("?");
  if ((query === -1 ? url : url.slice(0, query)) !== path) return false;
  const type = req.headers["content-type"];
  return type !== undefined && JSON_TYPE.test(type);
}

/**
 * The headers a middleware sets whatever the request (helmet's), captured once, to be set on
 * each response without running it again. Anything that looks at the request cannot be captured.
 */
export function fixedHeadersOf(middleware: NodeMiddleware): NodeMiddleware {
  const headers: [string, string | number | readonly string[]][] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, value]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  const request = { headers: {}, method: "POST", url: "/" };
  middleware(request as unknown as http.IncomingMessage, recorder as unknown as http.ServerResponse, () => undefined);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * For every answer of the GraphQL endpoint, on both paths: what it returns is read with the
 * caller's token (sessions, emails, activity), so no browser or proxy cache may keep it.
 */
export const noStore: NodeMiddleware = (_req, res, next) => {
  res.setHeader("cache-control", "no-store");
  next();
};

function sendError(res: http.ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BadUserInput } }] });
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(body));
  res.end(body);
}

/** The body, or null once a 413 has been sent; a body over the limit is never buffered. */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): Promise<string | null> {
  const tooLarge = () => {
    // The rest is not read: the connection closes after the answer.
    res.setHeader("connection", "close");
    sendError(res, 413, "Request body too large.");
    req.resume();
  };
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    tooLarge();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        tooLarge();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(size > limit ? null : Buffer.concat(chunks, size).toString("utf8")));
    // A client gone before the end of its body gets no answer.
    req.once("close", () => {
      if (!req.complete) resolve(null);
    });
    req.once("error", reject);
  });
}

/**
 * POST /graphql straight into Apollo, without Express: the same protections (security headers,
 * CORS, the body limit, BAD_USER_INPUT for a body that is not a JSON object or array) at a
 * fraction of the per-request cost (see bench/stack.ts).
 */
export function graphqlPostHandler(apollo: ApolloServer<RequestContext>, options: GraphQLPostOptions): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const run = (index: number, req: http.IncomingMessage, res: http.ServerResponse, done: () => void) => {
    if (index === options.middleware.length) return done();
    options.middleware[index](req, res, (error) => {
      if (error) return sendError(res, 400, "Bad request.");
      run(index + 1, req, res, done);
    });
  };
  return (req, res) =>
    run(0, req, res, () => {
      // A CORS preflight or refusal has answered already.
      if (res.writableEnded) return;
      void serve(apollo, options, req, res).catch((error) => {
        if (!res.headersSent) sendError(res, 400, "Malformed request body.");
        else res.destroy(error as Error);
      });
    });
}

async function serve(apollo: ApolloServer<RequestContext>, options: GraphQLPostOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const text = await readBody(req, res, options.maxBodyBytes);
  if (text === null) return;
  let body: unknown = {};
  const trimmed = text.trimStart();
  if (trimmed !== "") {
    // As express.json's strict mode: only an object or an array is a GraphQL request.
    if (trimmed[0] !== "{" && trimmed[0] !== "[") return sendError(res, 400, "Malformed request body.");
    try {
      body = JSON.parse(text);
    } catch {
      return sendError(res, 400, "Malformed request body.");
    }
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: "POST", headers, search: query === -1 ? "" : url.slice(query), body },
    context: () => options.context(req, res),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    res.setHeader("content-length", Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
