import { SetReceiver } from "./set-receiver";

// A Shared Signals receiver set up as an operator and the receiving service would: registered by
// an administrator over GraphQL, a token from /oauth/token, a push stream to a SetReceiver that
// verifies every SET against the transmitter's JWKS. Plain fetches, so benches can use it.

export const PUSH_METHOD = "urn:ietf:rfc:8935";
export const SESSION_REVOKED_URI = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

export interface PushStream {
  clientId: string;
  streamId: string;
  issuer: string;
  sets: SetReceiver;
}

async function json(response: Response, what: string, status = 200): Promise<any> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** createSignalReceiver by an ADMIN: the receiver's client id and its secret (shown once). */
async function register(baseUrl: string, adminToken: string, name: string): Promise<{ clientId: string; clientSecret: string }> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query: "mutation($n: String!) { createSignalReceiver(name: $n) { clientSecret receiver { clientId } } }", variables: { n: name } }),
  });
  const body = await json(response, "createSignalReceiver");
  if (!body.data || body.errors) throw new Error(`createSignalReceiver: ${JSON.stringify(body.errors)}`);
  return { clientId: body.data.createSignalReceiver.receiver.clientId, clientSecret: body.data.createSignalReceiver.clientSecret };
}

async function token(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }).toString(),
  });
  return (await json(response, "token")).access_token;
}

/**
 * A new receiver with one push stream of `events` to `sets` (a fresh SetReceiver by default).
 * The transmitter must allow plain http to 127.0.0.1 (SIGNALS_INSECURE_HOSTS).
 */
export async function pushStreamTo(baseUrl: string, adminToken: string, events: string[], sets?: SetReceiver, name = "Bench receiver"): Promise<PushStream> {
  const { clientId, clientSecret } = await register(baseUrl, adminToken, name);
  const bearer = await token(baseUrl, clientId, clientSecret);
  sets ??= await SetReceiver.start();
  const response = await fetch(`${baseUrl}/ssf/streams`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ delivery: { method: PUSH_METHOD, endpoint_url: sets.url }, events_requested: events }),
  });
  const stream = await json(response, "create stream", 201);
  const issuer: string = stream.iss ?? (await json(await fetch(`${baseUrl}/.well-known/ssf-configuration`), "configuration")).issuer;
  sets.verifyWith({ jwksUri: `${baseUrl}/.well-known/jwks.json`, issuer, audience: clientId });
  return { clientId, streamId: stream.stream_id, issuer, sets };
}
