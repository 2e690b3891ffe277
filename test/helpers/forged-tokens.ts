import { createHmac } from "node:crypto";
import { accessKeyOf } from "../../src/auth/signing-keys";
import type { Signed } from "./accounts";

export type Json = Record<string, unknown>;

// What startTestServer configures (support/in-process-server.ts) and src/config.ts defaults to.
export const TEST_SECRET = "test-secret-that-is-at-least-32-bytes-long!";
export const ISSUER = "session-service";
export const AUDIENCE = "session-service";

export const encodePart = (part: Json) => Buffer.from(JSON.stringify(part)).toString("base64url");
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A compact JWS: header.payload.signature, where `signer` signs "header.payload". */
export function encodeJwt(header: Json, payload: Json, signer: (input: string) => Buffer): string {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  return `${input}.${signer(input).toString("base64url")}`;
}

export const hs256 = (key: string | Buffer) => (input: string) => createHmac("sha256", key).update(input).digest();

/** Exactly the claims the server would put in a token for this session, valid for an hour. */
export function claimsOf(signed: Signed): Json {
  const iat = nowSeconds();
  return { sub: signed.user.id, sid: signed.session.id, role: signed.user.role, iat, exp: iat + 3600, iss: ISSUER, aud: AUDIENCE };
}

/**
 * A token for this session signed with the key the server derives from `secret`, as the server
 * would sign it: only the claims (or header fields) a test overrides are wrong.
 */
export function forge(signed: Signed, claims: Json = {}, header: Json = {}, secret = TEST_SECRET): string {
  const key = accessKeyOf(secret);
  return encodeJwt({ alg: "HS256", typ: "at+jwt", kid: key.kid, ...header }, { ...claimsOf(signed), ...claims }, hs256(key.key.export()));
}

/** The token's claims under an unsigned `alg: none` header. */
export function algNone(token: string): string {
  return `${encodePart({ alg: "none", typ: "JWT" })}.${token.split(".")[1]}.`;
}
