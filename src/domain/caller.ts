import type { Role } from "./role";

/** Who is calling, as established from a valid access token of an active session. */
export interface Caller {
  userId: string;
  sessionId: string;
  role: Role;
}

/** Where a request comes from. */
export interface ClientInfo {
  ipAddress: string;
  userAgent: string | undefined;
}
