/** A committed new session, announced so that the user's other devices can list it at once. */
export interface SessionStarted {
  sessionId: string;
  userId: string;
  startedAt: Date;
}
