/** Why a session ended: the service's RevocationReason. */
export type RevocationReason = "LOGOUT" | "TERMINATED" | "TERMINATED_OTHERS" | "PASSWORD_CHANGED" | "ADMIN_LOGOUT" | "REFRESH_TOKEN_REUSE" | "EXPIRED";

export const REVOCATION_REASONS: readonly RevocationReason[] = ["LOGOUT", "TERMINATED", "TERMINATED_OTHERS", "PASSWORD_CHANGED", "ADMIN_LOGOUT", "REFRESH_TOKEN_REUSE", "EXPIRED"];

export function isRevocationReason(value: unknown): value is RevocationReason {
  return (REVOCATION_REASONS as readonly unknown[]).includes(value);
}

/** What an app says of its device at signUp and login; it wins over the user agent. */
export interface DeviceInput {
  /** A name the user gives this device, e.g. "Alice's iPhone" (1–64 characters). */
  name?: string;
  /** For native apps whose user agent does not say it: e.g. "Acme" and "3.2.1". */
  appName?: string;
  appVersion?: string;
}

export interface User {
  id: string;
  email: string;
  role: "USER" | "ADMIN";
  createdAt: string;
}

export interface Location {
  country: string | null;
  region: string | null;
  city: string | null;
  timezone: string | null;
}

export type SessionSignal = "NEW_DEVICE" | "NEW_COUNTRY";

export interface Session {
  id: string;
  name: string | null;
  client: "BROWSER" | "APP" | "OTHER";
  deviceType: string;
  os: string | null;
  browser: string;
  browserVersion: string | null;
  userAgent: string;
  ipAddress: string;
  location: Location | null;
  createdAt: string;
  lastActiveAt: string;
  expiresAt: string;
  isCurrent: boolean;
  signals: SessionSignal[];
}

export interface AuthResult {
  user: User;
  session: Session;
}

export interface ActivityEntry {
  id: string;
  kind: string;
  at: string;
  sessionId: string | null;
  reason: RevocationReason | null;
  byAdministrator: boolean;
  ipAddress: string | null;
  deviceType: string | null;
  browser: string | null;
  location: Location | null;
  signals: SessionSignal[];
}

export interface ActivityPage {
  entries: ActivityEntry[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
}

/** Why this client is signed out: the ending's reason and time when the service told them, null when it did not. */
export interface SignedOut {
  reason: RevocationReason | null;
  endedAt: string | null;
}
