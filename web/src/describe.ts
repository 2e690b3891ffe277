/** Words for what the server sends: devices, places, reasons and times. */

export interface Place {
  country?: string | null;
  region?: string | null;
  city?: string | null;
}

const countries = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "St Albans, United Kingdom": the city and the country's name (the region's code says little to a reader). */
export function placeOf(location: Place | null | undefined): string {
  if (!location) return "Unknown";
  const country = location.country ? countryName(location.country) : null;
  const parts = [location.city, country].filter(Boolean);
  return parts.length ? parts.join(", ") : "Unknown";
}

function countryName(code: string): string {
  try {
    return countries.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Chrome on Windows"; a device its user named goes by that name. */
export function deviceOf(session: { browser: string; deviceType: string; name?: string | null }): string {
  return session.name ?? `${session.browser} on ${session.deviceType}`;
}

/** When the server did not say why (a refresh token it no longer knows). */
export const ENDED_WITHOUT_REASON = "Your session has ended.";

/** Why this page was signed out, in words. */
export const SIGNED_OUT_BECAUSE: Record<string, string> = {
  LOGOUT: "You logged out.",
  TERMINATED: "Your session was ended from another device.",
  TERMINATED_OTHERS: "All other sessions were ended from another device, this one included.",
  PASSWORD_CHANGED: "Your password was changed, so every other session was ended.",
  ADMIN_LOGOUT: "An administrator logged you out.",
  EXPIRED: "Your session expired.",
  REFRESH_TOKEN_REUSE: "Your session was ended because its token was used twice: suspected token theft.",
};

/** Activity kinds in words. */
export const ACTIVITY_WORDS: Record<string, string> = {
  SIGNED_UP: "Signed up",
  LOGGED_IN: "Logged in",
  LOGIN_FAILED: "Failed login",
  LOGIN_RATE_LIMITED: "Login refused: too many attempts",
  REFRESH_TOKEN_REUSED: "Refresh token used twice",
  SESSION_ENDED: "Session ended",
  PASSWORD_CHANGED: "Password changed",
  PASSWORD_CHANGE_FAILED: "Wrong current password",
  ROLE_CHANGED: "Role changed",
};

export const REASON_WORDS: Record<string, string> = {
  LOGOUT: "logged out",
  TERMINATED: "ended from another device",
  TERMINATED_OTHERS: "all other sessions ended",
  PASSWORD_CHANGED: "password changed",
  ADMIN_LOGOUT: "by an administrator",
  REFRESH_TOKEN_REUSE: "suspected token theft",
  EXPIRED: "expired",
};

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

const always = new Intl.RelativeTimeFormat("en", { numeric: "always" });

/** "in 24 hours", "in 6 days": one way of saying a time ahead (never "tomorrow" beside "in 2 days"). */
export function timeAhead(at: string, now: number): string {
  const delta = Date.parse(at) - now;
  if (delta <= 0) return "now";
  if (delta < 3_600_000) return always.format(Math.max(1, Math.round(delta / 60_000)), "minute");
  if (delta < 48 * 3_600_000) return always.format(Math.round(delta / 3_600_000), "hour");
  return always.format(Math.round(delta / 86_400_000), "day");
}

/** "Active now" for the last minute, "5 minutes ago" after. */
export function lastActive(at: string, now: number): string {
  return now - Date.parse(at) < 60_000 ? "Active now" : relativeTime(at, now);
}

/**
 * "just now" for the last minute, "5 minutes ago" after: a time already past, which a `now` of up
 * to a tick old (useNow), or a server clock a little ahead, would otherwise put in the future.
 */
export function timeAgo(at: string, now: number): string {
  return now - Date.parse(at) < 60_000 ? "just now" : relativeTime(at, now);
}

/** "in 14 minutes", "3 hours ago" */
export function relativeTime(at: string | number, now: number): string {
  const delta = (typeof at === "number" ? at : Date.parse(at)) - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms || unit === "second") return relative.format(Math.round(delta / ms), unit);
  }
  return "";
}

/** A Shared Signals stream's status and delivery, in words. */
export const STREAM_STATUS_WORDS: Record<string, string> = { ENABLED: "Enabled", PAUSED: "Paused", DISABLED: "Disabled" };
export const DELIVERY_WORDS: Record<string, string> = { PUSH: "Push", POLL: "Poll" };

/** "session-revoked": the last part of a CAEP or SSF event type URI. */
export function eventNameOf(uri: string): string {
  return uri.slice(uri.lastIndexOf("/") + 1) || uri;
}
