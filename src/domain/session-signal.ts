/**
 * Why a session looked unfamiliar when it started, with the GraphQL descriptions the contract
 * gives them. Computed once, in the transaction that opens the session, and stored with it.
 */
export const SESSION_SIGNALS = {
  NEW_DEVICE: "No session of this user in the previous 90 days had this device type and browser.",
  NEW_COUNTRY: "No session of this user in the previous 90 days came from this country (only when the country is known).",
} as const;
export type SessionSignal = keyof typeof SESSION_SIGNALS;

/** How far back "unfamiliar" looks. */
export const SIGNAL_LOOKBACK_DAYS = 90;

/** What a change to the caller's sessions was. */
export const SESSION_CHANGES = ["STARTED", "ENDED"] as const;
export type SessionChange = (typeof SESSION_CHANGES)[number];
