export { createSessionClient, type SessionClient, type SessionClientOptions, type SessionStatus } from "./session-client.js";
export { defaultStorage, memoryStorage, type TokenStorage } from "./token-storage.js";
export { ServiceUnreachable, SessionServiceError } from "./errors.js";
export { backoffDelay, RECONNECT_BACKOFF, type Backoff } from "./backoff.js";
export type { LiveState } from "./live-socket.js";
export { isRevocationReason, REVOCATION_REASONS } from "./types.js";
export type { ActivityEntry, ActivityPage, AuthResult, DeviceInput, Location, RevocationReason, Session, SessionSignal, SignedOut, User } from "./types.js";
