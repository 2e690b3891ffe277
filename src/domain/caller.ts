import type { DeviceInput } from "./device-input";
import type { Role } from "./role";

/** Who is calling, as established from a valid access token of an active session. */
export interface Caller {
  userId: string;
  sessionId: string;
  role: Role;
}

/** Where a request comes from, and what an app says of its device at signUp or login. */
export interface ClientInfo {
  ipAddress: string;
  userAgent: string | undefined;
  device?: DeviceInput;
}
