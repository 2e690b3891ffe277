import { createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface SigningKeys {
  /** Signs and verifies access JWTs. */
  accessKey: KeyObject;
  /** Derives successor refresh tokens; separate from the JWT key so one use cannot stand in for the other. */
  refreshChainKey: KeyObject;
}

/** The configured secret, or one generated on first start and kept (mode 600) in the data folder. */
export function loadSigningKeys(configured: string | undefined, dataDir: string): SigningKeys {
  const secret = configured ?? readOrCreateSecret(path.join(dataDir, "jwt-secret"));
  const raw = Buffer.from(secret, "utf8");
  return {
    accessKey: createSecretKey(raw),
    refreshChainKey: createSecretKey(createHmac("sha256", raw).update("refresh-token-chain/v1").digest()),
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
