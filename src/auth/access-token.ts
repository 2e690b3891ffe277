import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import type { AccessKey } from "./signing-keys";

export interface AccessClaims {
  userId: string;
  sessionId: string;
  role: string;
}

/** The claims of a token that passed, and when it was issued (iat, seconds since the epoch). */
export interface VerifiedAccessClaims extends AccessClaims {
  issuedAt: number;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

// RFC 9068's media type: a JWT of another kind signed with the same key is not an access token.
const TOKEN_TYPE = "at+jwt";
const ALGORITHM = "HS256";

/** A token whose signature and claims passed: what is left to check on each later use. */
interface VerifiedToken {
  claims: VerifiedAccessClaims;
  exp: number;
  nbf?: number;
  iat: number;
}

// Tokens remembered as verified; the oldest is forgotten first (it is simply verified again).
const VERIFIED_CAPACITY = 10_000;

export interface TokenClock {
  /** Milliseconds since the epoch, by the clock every instance shares. */
  now(): number;
  /** How far exp, nbf and iat may be off that clock and still pass. */
  toleranceSeconds: number;
}

/** A JWT's header, read without touching its payload: enough to pick the key that verifies it. */
function headerOf(token: string): { kid?: unknown } | null {
  const end = token.indexOf(".");
  if (end <= 0) return null;
  const header: unknown = JSON.parse(Buffer.from(token.slice(0, end), "base64url").toString("utf8"));
  return typeof header === "object" && header !== null ? (header as { kid?: unknown }) : null;
}

/**
 * Signs and checks access JWTs. Keys are KeyObjects made once: jsonwebtoken re-imports a string
 * secret on every call, which costs ~0.7 ms against ~17 µs for a KeyObject. A token names its key
 * (`kid`), so a key can be rotated: the new one signs, the old ones still verify until their
 * tokens have expired. A kid that names none of ours is refused before any signature check.
 * Time is the shared clock's, so instances with skewed clocks sign and refuse alike.
 */
export class AccessTokens {
  private readonly verifiers: Map<string, AccessKey>;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly key: AccessKey,
    previous: AccessKey[],
    private readonly issuer: string,
    private readonly audience: string,
    private readonly ttlSeconds: number,
    private readonly clock: TokenClock,
  ) {
    this.verifiers = new Map([...previous, key].map((k) => [k.kid, k]));
  }

  /** A token for the claims, valid for the configured lifetime but never past `notAfter`. */
  sign(claims: AccessClaims, notAfter?: Date): SignedAccessToken {
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = Math.min(iat + this.ttlSeconds, notAfter ? Math.floor(notAfter.getTime() / 1000) : Infinity);
    const token = jwt.sign(
      // jti: two tokens issued in the same second must still differ (and be tellable apart in logs).
      { sid: claims.sessionId, role: claims.role, jti: randomUUID(), iat, exp },
      this.key.key,
      { algorithm: ALGORITHM, header: { alg: ALGORITHM, typ: TOKEN_TYPE, kid: this.key.kid }, subject: claims.userId, issuer: this.issuer, audience: this.audience },
    );
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The claims of a well-formed, correctly signed, unexpired token of ours, no longer-lived than
   * the tokens this deployment issues (plus the tolerance); otherwise null.
   * A client presents the same token on every request until it refreshes: its signature is
   * checked once, then only its times (the whole token is the key, so an altered one is a miss).
   */
  verify(token: string): VerifiedAccessClaims | null {
    const known = this.verified.get(token);
    if (known) return this.withinTimes(known) ? known.claims : null;
    const checked = this.verifySignatureAndClaims(token);
    if (!checked) return null;
    if (this.verified.size >= VERIFIED_CAPACITY) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, checked);
    return checked.claims;
  }

  /** The same time checks jsonwebtoken makes (exp, nbf) and ours (iat), against the shared clock now. */
  private withinTimes(times: VerifiedToken): boolean {
    const now = Math.floor(this.clock.now() / 1000);
    const tolerance = this.clock.toleranceSeconds;
    return now < times.exp + tolerance && (times.nbf === undefined || times.nbf <= now + tolerance) && times.iat <= now + tolerance;
  }

  private verifySignatureAndClaims(token: string): VerifiedToken | null {
    try {
      const kid = headerOf(token)?.kid;
      const key = typeof kid === "string" ? this.verifiers.get(kid) : undefined;
      if (!key) return null;
      const now = Math.floor(this.clock.now() / 1000);
      const decoded = jwt.verify(token, key.key, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        clockTimestamp: now,
        clockTolerance: this.clock.toleranceSeconds,
        complete: true,
      });
      if (decoded.header.typ !== TOKEN_TYPE || typeof decoded.payload === "string") return null;
      const { sub, sid, role, iat, exp, nbf } = decoded.payload as jwt.JwtPayload;
      if (typeof sub !== "string" || typeof sid !== "string" || typeof role !== "string") return null;
      // Ours always have one; jsonwebtoken lets a token without exp live for ever.
      if (typeof exp !== "number" || (nbf !== undefined && typeof nbf !== "number")) return null;
      // jsonwebtoken does not check iat; a token from the future was not issued by us.
      if (typeof iat !== "number" || iat > now + this.clock.toleranceSeconds) return null;
      // Nor does it bound the lifetime. The memory of endings and role changes (RevocationGate) is
      // kept as long as a token this deployment issues can live: a longer-lived one (signed by an
      // instance with a longer ACCESS_TOKEN_TTL_SECONDS, or before a restart with a lower one)
      // would outlive it and be taken as active again once its ending is forgotten.
      if (exp - iat > this.ttlSeconds + this.clock.toleranceSeconds) return null;
      return { claims: { userId: sub, sessionId: sid, role, issuedAt: iat }, exp, nbf, iat };
    } catch {
      return null;
    }
  }
}
