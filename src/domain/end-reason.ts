/**
 * Why a session ended. The one list: the GraphQL enum (RevocationReason) and the database
 * CHECK are derived from or tested against it. Descriptions are the contract's.
 */
export const END_REASONS = {
  LOGOUT: "The device logged itself out (logout, or terminateSession on its own session).",
  TERMINATED: "Ended from another of the user's sessions with terminateSession.",
  TERMINATED_OTHERS: "Ended from another of the user's sessions with terminateOtherSessions.",
  PASSWORD_CHANGED: "Ended because the user changed the password from another session.",
  ADMIN_LOGOUT: "Ended by an administrator with adminLogoutUser.",
  REFRESH_TOKEN_REUSE: "A refresh token of this session was used again after it had been rotated (theft detection).",
  EXPIRED: "The session reached its expiry without being refreshed.",
} as const;

export type EndReason = keyof typeof END_REASONS;
export const END_REASON_NAMES = Object.keys(END_REASONS) as EndReason[];
