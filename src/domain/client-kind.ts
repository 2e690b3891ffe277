/** What kind of program holds a session, with the contract's descriptions. */
export const CLIENT_KINDS = {
  BROWSER: "A web browser.",
  APP: "A native or desktop app.",
  OTHER: "A script or command-line tool, or a user agent that says nothing.",
} as const;
export type ClientKind = keyof typeof CLIENT_KINDS;
