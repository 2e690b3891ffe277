import type { SessionEntity } from "../db/entities/session.entity";
import type { SessionLists } from "./session-lists";
import type { ListedSession } from "./session-store";
import type { Caller } from "../domain/caller";
import { deviceName } from "../domain/device-input";
import { NotFound } from "../domain/errors";
import type { SessionService } from "./session-service";

/** Who may see and end which sessions: the rules for users and administrators, in one place. */
export class SessionAccess {
  constructor(
    private readonly sessions: SessionService,
    private readonly lists: SessionLists,
    private readonly userExists: (userId: string) => Promise<boolean>,
  ) {}

  /**
   * The caller's active sessions, most recently active first (see currentFirst), without
   * waiting when their list is held: the same array for as long as it is.
   */
  mine(caller: Caller): ListedSession[] | Promise<ListedSession[]> {
    return this.lists.of(caller.userId);
  }

  logout(caller: Caller): Promise<boolean> {
    return this.sessions.end({ sessionId: caller.sessionId }, "LOGOUT", caller.userId).then((n) => n === 1);
  }

  /**
   * Ends one session: true if it was active, false if it had already ended. Another user's
   * session is NOT_FOUND for a USER, exactly like one that does not exist, so ids cannot be probed.
   */
  async terminate(caller: Caller, sessionId: string): Promise<boolean> {
    const owner = await this.ownerFor(caller, sessionId);
    const own = owner === caller.userId;
    // Ids are matched case-blind (UUID_PATTERN takes either case), as PostgreSQL compares them.
    const reason = sessionId.toLowerCase() === caller.sessionId ? "LOGOUT" : own ? "TERMINATED" : "ADMIN_LOGOUT";
    return (await this.sessions.end({ sessionId, userId: owner }, reason, caller.userId)) === 1;
  }

  /** Names one of the caller's active sessions (an administrator's: anyone's); NOT_FOUND otherwise, as for terminate. */
  async rename(caller: Caller, sessionId: string, name: string): Promise<SessionEntity> {
    const checked = deviceName(name);
    await this.ownerFor(caller, sessionId);
    const renamed = await this.sessions.rename(sessionId, checked);
    if (!renamed) throw new NotFound("Session");
    return renamed;
  }

  terminateOthers(caller: Caller): Promise<number> {
    return this.sessions.end({ userId: caller.userId, exceptSessionId: caller.sessionId }, "TERMINATED_OTHERS", caller.userId);
  }

  async ofUser(userId: string): Promise<ListedSession[]> {
    await this.requireUser(userId);
    return this.lists.of(userId);
  }

  async adminLogout(admin: Caller, userId: string): Promise<number> {
    await this.requireUser(userId);
    return this.sessions.endEverywhere(userId, "ADMIN_LOGOUT", admin.userId);
  }

  /** The session's owner, if the caller may act on it (their own; an administrator: anyone's); NOT_FOUND otherwise. */
  private async ownerFor(caller: Caller, sessionId: string): Promise<string> {
    const owner = await this.sessions.ownerOf(sessionId);
    if (owner === null || (owner !== caller.userId && caller.role !== "ADMIN")) throw new NotFound("Session");
    return owner;
  }

  private async requireUser(userId: string): Promise<void> {
    if (!(await this.userExists(userId))) throw new NotFound("User");
  }
}

/** A list of sessions as the caller sees it: their own session first, then the rest in order. */
export function currentFirst<T extends { id: string }>(all: readonly T[], sessionId: string): readonly T[] {
  const current = all.findIndex((s) => s.id === sessionId);
  return current <= 0 ? all : [all[current], ...all.slice(0, current), ...all.slice(current + 1)];
}
