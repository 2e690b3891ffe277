import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, SignJWT, type JWK } from "jose";

export const SIGNALS_KEY_FILE = "signals-private-key.pem";
const MIN_MODULUS_BITS = 2048;

/** The RS256 key that signs this instance's security events, and its public half as a JWK. */
export interface SignalSigningKey {
  kid: string;
  publicJwk: JWK;
  sign(claims: Record<string, unknown>): Promise<string>;
}

export class SignalKeyError extends Error {}

function checked(key: KeyObject, where: string): KeyObject {
  if (key.asymmetricKeyType !== "rsa") throw new SignalKeyError(`${where} must be an RSA private key (RS256), got ${key.asymmetricKeyType}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS) throw new SignalKeyError(`${where} must be at least ${MIN_MODULUS_BITS} bits, got ${bits}`);
  return key;
}

function parse(pem: string, where: string): KeyObject {
  try {
    return checked(createPrivateKey(pem), where);
  } catch (error) {
    if (error instanceof SignalKeyError) throw error;
    throw new SignalKeyError(`${where} is not a PEM private key`);
  }
}

/** The key in the data folder, made (2048-bit RSA, mode 600) the first time. */
function readOrCreate(file: string): KeyObject {
  try {
    return parse(fs.readFileSync(file, "utf8"), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: MIN_MODULUS_BITS });
  try {
    fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
    return privateKey;
  } catch (error) {
    // Another process made it first: use theirs, so both sign with one key.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return parse(fs.readFileSync(file, "utf8"), file);
    throw error;
  }
}

/** SIGNALS_PRIVATE_KEY when given, else the data folder's key. Its kid is its RFC 7638 thumbprint. */
export async function loadSignalSigningKey(configuredPem: string | undefined, dataDir: string): Promise<SignalSigningKey> {
  const privateKey = configuredPem ? parse(configuredPem, "SIGNALS_PRIVATE_KEY") : readOrCreate(path.join(dataDir, SIGNALS_KEY_FILE));
  const { kty, n, e } = createPublicKey(privateKey).export({ format: "jwk" });
  const kid = await calculateJwkThumbprint({ kty, n, e } as JWK);
  const publicJwk = { kty, n, e, kid, alg: "RS256", use: "sig" } as JWK;
  return {
    kid,
    publicJwk,
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "secevent+jwt", kid }).sign(privateKey),
  };
}
