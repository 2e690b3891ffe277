import { randomUUID, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";

export interface AccessClaims {
  userId: string;
  sessionId: string;
  role: string;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

// RFC 9068's media type: a JWT of another kind signed with the same key is not an access token.
const TOKEN_TYPE = "at+jwt";
const ALGORITHM = "HS256";

/**
 * Signs and checks access JWTs. The key is a KeyObject made once: jsonwebtoken re-imports
 * a string secret on every call, which costs ~0.7 ms against ~17 µs for a KeyObject.
 */
export class AccessTokens {
  constructor(
    private readonly key: KeyObject,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly ttlSeconds: number,
  ) {}

  sign(claims: AccessClaims, now = Date.now()): SignedAccessToken {
    const iat = Math.floor(now / 1000);
    const exp = iat + this.ttlSeconds;
    const token = jwt.sign(
      // jti: two tokens issued in the same second must still differ (and be tellable apart in logs).
      { sid: claims.sessionId, role: claims.role, jti: randomUUID(), iat, exp },
      this.key,
      { algorithm: ALGORITHM, header: { alg: ALGORITHM, typ: TOKEN_TYPE }, subject: claims.userId, issuer: this.issuer, audience: this.audience },
    );
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a well-formed, correctly signed, unexpired token of ours; otherwise null. */
  verify(token: string): AccessClaims | null {
    try {
      const decoded = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        complete: true,
      });
      if (decoded.header.typ !== TOKEN_TYPE || typeof decoded.payload === "string") return null;
      const { sub, sid, role } = decoded.payload as jwt.JwtPayload;
      if (typeof sub !== "string" || typeof sid !== "string" || typeof role !== "string") return null;
      return { userId: sub, sessionId: sid, role };
    } catch {
      return null;
    }
  }
}
