import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** An access-token key and the id tokens name it by (a fingerprint: it reveals nothing of the key). */
export interface AccessKey {
  kid: string;
  key: KeyObject;
}

export interface SigningKeys {
  /** Signs new access tokens and verifies them. */
  access: AccessKey;
  /** Still verify access tokens signed before a rotation (JWT_PREVIOUS_SECRETS). */
  previousAccess: AccessKey[];
  /** Derive successor refresh tokens: the current secret's first, then the previous ones'. */
  refreshChain: KeyObject[];
  /** Derives device tokens (device-token.ts); only the current secret's: they are checked by their stored hash. */
  deviceTokens: KeyObject;
}

// Each use of a secret gets a key of its own, derived under its own label: a leaked access-token
// key (it sits in every service that verifies tokens) gives no way to the refresh chain key, nor
// the other way round, since HMAC cannot be run backwards to the secret.
const ACCESS_LABEL = "session-service/access-token/v1";
// The label of the first release, kept so that refresh tokens issued then still chain.
const REFRESH_CHAIN_LABEL = "refresh-token-chain/v1";
const DEVICE_TOKEN_LABEL = "session-service/device-token/v1";

function derive(secret: string, label: string): Buffer {
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(label).digest();
}

export function accessKeyOf(secret: string): AccessKey {
  const raw = derive(secret, ACCESS_LABEL);
  return { kid: createHash("sha256").update(raw).digest("base64url").slice(0, 16), key: createSecretKey(raw) };
}

/**
 * Keys from the configured secret (or one generated on first start and kept, mode 600, in the
 * data folder), and from the previous secrets that still verify during a rotation.
 */
export function loadSigningKeys(configured: string | undefined, previous: string[], dataDir: string): SigningKeys {
  const secret = configured ?? readOrCreateSecret(path.join(dataDir, "jwt-secret"));
  return {
    access: accessKeyOf(secret),
    previousAccess: previous.map(accessKeyOf),
    refreshChain: [secret, ...previous].map((s) => createSecretKey(derive(s, REFRESH_CHAIN_LABEL))),
    deviceTokens: createSecretKey(derive(secret, DEVICE_TOKEN_LABEL)),
  };
}

function readOrCreateSecret(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}
