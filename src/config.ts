import { createPrivateKey, type KeyObject } from "node:crypto";
import path from "node:path";
import { checkNewPassword, normalizeEmail } from "./accounts/credentials";
import { InvalidInput } from "./domain/errors";
import type { LogFormat } from "./logging/logger";

/** Everything the service reads from its environment, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  nodeEnv: string;
  /** Folder for the embedded database and the generated JWT secret. */
  dataDir: string;
  /** A PostgreSQL connection string; undefined means the embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** Redis for revocation events between instances; undefined means in-process events. */
  redisUrl?: string;
  /** Undefined means: generate one once and keep it in dataDir (refused in production). */
  jwtSecret?: string;
  /** Secrets rotated out that still verify access tokens (and keep refresh chains) until their tokens expire. */
  jwtPreviousSecrets: string[];
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshReuseGraceSeconds: number;
  /** /metrics on the public port behind this bearer token; unset: not on the public port. */
  metricsToken?: string;
  /** A port of its own for /metrics, without a token; unset: none. */
  metricsPort?: number;
  /** Where METRICS_PORT listens: loopback unless the operator opens it, since it asks for no token. */
  metricsHost: string;
  /** Leeway on access tokens' exp, nbf and iat, measured against the database's clock. */
  clockToleranceSeconds: number;
  /** How many proxy hops to trust in X-Forwarded-For; 0 ignores the header. */
  trustProxyHops: number;
  signupEnabled: boolean;
  /** Introspection and "Did you mean …?" for every caller; off, for ADMINs only. */
  introspection: boolean;
  adminEmail?: string;
  adminPassword?: string;
  /** Browser origins, besides the service's own, allowed to call the API (CORS) and open the WebSocket. */
  allowedOrigins: string[];
  /** The service's public origin (PUBLIC_URL), e.g. behind a balancer; unset: its loopback origins on PORT. */
  publicUrl?: string;
  /** Clients reach the service over HTTPS (directly or through a TLS proxy): send Strict-Transport-Security. */
  hsts: boolean;
  /** lastActiveAt moves at most this often per session, so authenticated reads are not writes. */
  lastActiveResolutionSeconds: number;
  /** Ended sessions, their refresh tokens (and activity) are deleted this long after they ended. */
  sessionRetentionDays: number;
  /** How often expired sessions are ended and the revocation log is read for what the bus did not bring. */
  sweepIntervalMs: number;
  loginMaxFailuresPerEmail: number;
  loginMaxFailuresPerIp: number;
  loginFailureWindowSeconds: number;
  /** Sign-ups from one IPv4 address or IPv6 /64 in the window: each costs a hash and probes for accounts. */
  signupMaxPerIp: number;
  signupWindowSeconds: number;
  /** What one client may hold of the WebSocket server (see server/socket-caps.ts). */
  socketLimits: { perNetwork: number; perSession: number; subscriptionsPerSocket: number; handshakesPerNetwork: number };
  /** Largest accepted request body / WebSocket frame. */
  maxBodyBytes: number;
  /** A database statement not answered by then fails, retryably: a hung PostgreSQL must not hold requests. */
  databaseQueryTimeoutMs: number;
  /** Open HTTP and WebSocket connections from one address when the service faces clients directly (TRUST_PROXY=0). */
  httpMaxConnectionsPerIp: number;
  /** The PEM key that signs security events; unset: one generated once and kept in dataDir. */
  signalsPrivateKey?: string;
  /** Hosts (lowercase, with or without :port) whose push endpoints may be plain http. */
  signalsInsecureHosts: string[];
  /** How long a push that keeps failing is retried before the event is dropped. */
  signalsRetryHours: number;
  logLevel: string;
  logFormat: LogFormat;
}

export type Environment = Record<string, string | undefined>;

export class ConfigError extends Error {}

function integer(env: Environment, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["true", "1", "yes", "on"].includes(raw)) return true;
  if (["false", "0", "no", "off"].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function optional(env: Environment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function trustProxy(env: Environment): number {
  const raw = optional(env, "TRUST_PROXY");
  if (raw === undefined || raw === "false") return 0;
  // "true" would mean "believe any client-supplied address": refuse it rather than guess a count.
  if (raw === "true") throw new ConfigError('TRUST_PROXY must be a hop count (e.g. 1), not "true"');
  return integer(env, "TRUST_PROXY", 0, 0, 10);
}

function url(env: Environment, name: string, schemes: string[], example: string): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let scheme: string;
  try {
    scheme = new URL(raw).protocol.replace(/:$/, "");
  } catch {
    throw new ConfigError(`${name} is not a URL; expected e.g. ${example}`);
  }
  if (!schemes.includes(scheme)) throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}://`).join(" or ")}, got "${scheme}://"; expected e.g. ${example}`);
  return raw;
}

/** Browser origins as browsers send them (scheme://host[:port], nothing after), so they can be compared exactly. */
function origins(env: Environment, name: string): string[] {
  return (optional(env, name) ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)
    .map((raw) => {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new ConfigError(`${name}: "${raw}" is not an origin; expected e.g. https://app.example.com`);
      }
      if (!["http:", "https:"].includes(parsed.protocol) || parsed.origin !== raw.replace(/\/$/, "")) {
        throw new ConfigError(`${name}: "${raw}" is not an origin (scheme://host[:port], no path); expected e.g. https://app.example.com`);
      }
      return parsed.origin;
    });
}

function publicOrigin(env: Environment): string | undefined {
  const given = origins(env, "PUBLIC_URL");
  if (given.length > 1) throw new ConfigError("PUBLIC_URL is one origin (scheme://host[:port]), e.g. https://sessions.example.com");
  return given[0];
}

function oneOf<T extends string>(env: Environment, name: string, values: readonly T[], fallback: T): T {
  const raw = optional(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(", ")}, got "${env[name]}"`);
  return raw as T;
}

/** The bootstrap administrator's credentials obey the same rules as a sign-up's, checked before anything starts. */
function adminCredentials(env: Environment): { adminEmail?: string; adminPassword?: string } {
  const adminEmail = optional(env, "ADMIN_EMAIL");
  const adminPassword = env.ADMIN_PASSWORD;
  if ((adminEmail === undefined) !== (adminPassword === undefined || adminPassword === "")) {
    throw new ConfigError("ADMIN_EMAIL and ADMIN_PASSWORD go together");
  }
  if (adminEmail === undefined || adminPassword === undefined) return {};
  try {
    checkNewPassword(adminPassword);
    return { adminEmail: normalizeEmail(adminEmail), adminPassword };
  } catch (error) {
    if (error instanceof InvalidInput) throw new ConfigError(`${error.field === "email" ? "ADMIN_EMAIL" : "ADMIN_PASSWORD"}: ${error.message}`);
    throw error;
  }
}

/** A PEM RSA private key of at least 2048 bits (RS256); `\n` may stand for newlines, as env files write them. */
function signalsPrivateKey(env: Environment): string | undefined {
  const pem = optional(env, "SIGNALS_PRIVATE_KEY")?.replace(/\\n/g, "\n");
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError("SIGNALS_PRIVATE_KEY is not a PEM private key (-----BEGIN PRIVATE KEY----- …)");
  }
  if (key.asymmetricKeyType !== "rsa" || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new ConfigError("SIGNALS_PRIVATE_KEY must be an RSA key of at least 2048 bits (security events are signed RS256)");
  }
  return pem;
}

function metricsToken(env: Environment): string | undefined {
  const token = optional(env, "METRICS_TOKEN");
  if (token !== undefined && token.length < 16) throw new ConfigError("METRICS_TOKEN must be at least 16 characters");
  return token;
}

export function loadConfig(env: Environment = process.env): Config {
  const nodeEnv = optional(env, "NODE_ENV") ?? "development";
  const jwtSecret = optional(env, "JWT_SECRET");
  if (nodeEnv === "production" && !jwtSecret) {
    throw new ConfigError("JWT_SECRET is required when NODE_ENV=production");
  }
  // HS256 with a short secret is brute-forceable offline from any one token (RFC 7518 §3.2).
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError("JWT_SECRET must be at least 32 bytes");
  }
  const jwtPreviousSecrets = (optional(env, "JWT_PREVIOUS_SECRETS") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (jwtPreviousSecrets.some((s) => Buffer.byteLength(s) < 32)) throw new ConfigError("each of JWT_PREVIOUS_SECRETS must be at least 32 bytes");
  return {
    port: integer(env, "PORT", 4000, 0, 65535),
    host: optional(env, "HOST") ?? "0.0.0.0",
    nodeEnv,
    dataDir: path.resolve(optional(env, "DATA_DIR") ?? "data"),
    databaseUrl: url(env, "DATABASE_URL", ["postgres", "postgresql"], "postgres://user@localhost:5432/sessions"),
    redisUrl: url(env, "REDIS_URL", ["redis", "rediss"], "redis://localhost:6379"),
    jwtSecret,
    jwtPreviousSecrets,
    jwtIssuer: optional(env, "JWT_ISSUER") ?? "session-service",
    jwtAudience: optional(env, "JWT_AUDIENCE") ?? "session-service",
    accessTokenTtlSeconds: integer(env, "ACCESS_TOKEN_TTL_SECONDS", 3600, 1),
    refreshTokenTtlSeconds: integer(env, "REFRESH_TOKEN_TTL_SECONDS", 86400, 1),
    refreshReuseGraceSeconds: integer(env, "REFRESH_REUSE_GRACE_SECONDS", 10, 0, 300),
    clockToleranceSeconds: integer(env, "CLOCK_TOLERANCE_SECONDS", 5, 0, 300),
    trustProxyHops: trustProxy(env),
    signupEnabled: boolean(env, "SIGNUP_ENABLED", true),
    // A production schema is not handed to anonymous callers; administrators may always introspect.
    introspection: boolean(env, "INTROSPECTION_ENABLED", nodeEnv !== "production"),
    ...adminCredentials(env),
    allowedOrigins: origins(env, "ALLOWED_ORIGINS"),
    publicUrl: publicOrigin(env),
    hsts: boolean(env, "HSTS_ENABLED", false),
    lastActiveResolutionSeconds: integer(env, "LAST_ACTIVE_RESOLUTION_SECONDS", 60, 0, 3600),
    sweepIntervalMs: integer(env, "SESSION_SWEEP_INTERVAL_MS", 1000, 50, 600_000),
    sessionRetentionDays: integer(env, "SESSION_RETENTION_DAYS", 90, 1, 36_500),
    loginMaxFailuresPerEmail: integer(env, "LOGIN_MAX_FAILURES_PER_EMAIL", 5, 1),
    loginMaxFailuresPerIp: integer(env, "LOGIN_MAX_FAILURES_PER_IP", 50, 1),
    loginFailureWindowSeconds: integer(env, "LOGIN_FAILURE_WINDOW_SECONDS", 900, 1),
    signupMaxPerIp: integer(env, "SIGNUP_MAX_PER_IP", 10, 1),
    signupWindowSeconds: integer(env, "SIGNUP_WINDOW_SECONDS", 3600, 1),
    maxBodyBytes: integer(env, "MAX_BODY_BYTES", 64 * 1024, 1024, 10 * 1024 * 1024),
    databaseQueryTimeoutMs: integer(env, "DATABASE_QUERY_TIMEOUT_MS", 10_000, 100, 600_000),
    httpMaxConnectionsPerIp: integer(env, "HTTP_MAX_CONNECTIONS_PER_IP", 1000, 1),
    socketLimits: {
      perNetwork: integer(env, "WS_MAX_CONNECTIONS_PER_IP", 200, 1),
      perSession: integer(env, "WS_MAX_CONNECTIONS_PER_SESSION", 10, 1),
      subscriptionsPerSocket: integer(env, "WS_MAX_SUBSCRIPTIONS_PER_CONNECTION", 20, 1),
      handshakesPerNetwork: integer(env, "WS_MAX_HANDSHAKES_PER_IP", 50, 1),
    },
    metricsToken: metricsToken(env),
    metricsPort: env.METRICS_PORT === undefined || env.METRICS_PORT === "" ? undefined : integer(env, "METRICS_PORT", 0, 0, 65535),
    metricsHost: optional(env, "METRICS_HOST") ?? "127.0.0.1",
    signalsPrivateKey: signalsPrivateKey(env),
    signalsInsecureHosts: (optional(env, "SIGNALS_INSECURE_HOSTS") ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean),
    signalsRetryHours: integer(env, "SIGNALS_RETRY_HOURS", 24, 1, 24 * 30),
    logLevel: oneOf(env, "LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    logFormat: oneOf(env, "LOG_FORMAT", ["json", "pretty"] as const, "json"),
  };
}
