import { CreateSignalReceiverDocument } from "../../web/src/gql/graphql";
import { SetReceiver } from "../../support/set-receiver";
import { dataOf, request, sendHttp } from "./graphql-client";
import type { TestServer } from "./test-server";

export const PUSH = "urn:ietf:rfc:8935";
export const POLL = "urn:ietf:rfc:8936";
export const CAEP = "https://schemas.openid.net/secevent/caep/event-type/";
export const SSF = "https://schemas.openid.net/secevent/ssf/event-type/";
export const ALL_CAEP = [`${CAEP}session-revoked`, `${CAEP}credential-change`, `${CAEP}session-established`];

export interface Answer {
  status: number;
  json: any;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTP call to the transmitter, with a JSON body when given. */
export async function ssfCall(server: TestServer, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const result = await sendHttp(`${server.url.replace("localhost", "127.0.0.1")}${path}`, {
    method,
    body,
    token: options.token,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...options.headers },
  });
  let json: unknown;
  try {
    json = result.text ? JSON.parse(result.text) : undefined;
  } catch {
    json = result.text;
  }
  return { status: result.status, json, headers: result.headers };
}

export interface Registered {
  id: string;
  clientId: string;
  clientSecret: string;
}

export async function registerReceiver(server: TestServer, adminToken: string, name = "Test receiver"): Promise<Registered> {
  const created = dataOf(await request(server.graphqlUrl, CreateSignalReceiverDocument, { name }, { token: adminToken })).createSignalReceiver;
  return { id: created.receiver.id, clientId: created.receiver.clientId, clientSecret: created.clientSecret };
}

/** A token at /oauth/token with client_secret_post. */
export async function receiverToken(server: TestServer, receiver: Registered, scope = "ssf.manage ssf.read"): Promise<string> {
  const answer = await ssfCall(server, "POST", "/oauth/token", {
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: receiver.clientId, client_secret: receiver.clientSecret, scope }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json.access_token;
}

export interface PushSetup {
  receiver: Registered;
  token: string;
  streamId: string;
  sets: SetReceiver;
}

/** A registered receiver with a push stream to a SetReceiver that verifies every SET against the server's JWKS. */
export async function pushStream(server: TestServer, adminToken: string, events = ALL_CAEP, sets?: SetReceiver): Promise<PushSetup> {
  const receiver = await registerReceiver(server, adminToken);
  const token = await receiverToken(server, receiver);
  sets ??= await SetReceiver.start();
  const created = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: PUSH, endpoint_url: sets.url }, events_requested: events } });
  if (created.status !== 201) throw new Error(`create stream: ${created.status} ${JSON.stringify(created.json)}`);
  const issuer = (await ssfCall(server, "GET", "/.well-known/ssf-configuration")).json.issuer;
  sets.verifyWith({ jwksUri: `${server.url.replace("localhost", "127.0.0.1")}/.well-known/jwks.json`, issuer, audience: receiver.clientId });
  return { receiver, token, streamId: created.json.stream_id, sets };
}
