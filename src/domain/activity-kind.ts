/** What the activity trail records; the GraphQL enum (ActivityKind) and the database CHECK follow this list. */
export const ACTIVITY_KINDS = [
  "SIGNED_UP",
  "LOGGED_IN",
  "LOGIN_FAILED",
  "LOGIN_RATE_LIMITED",
  "REFRESH_TOKEN_REUSED",
  "SESSION_ENDED",
  "PASSWORD_CHANGED",
  "PASSWORD_CHANGE_FAILED",
  "ROLE_CHANGED",
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
