import type { SessionEnded } from "../../src/domain/session-ended";
import { silentLogger } from "../../src/logging/logger";
import { ISSUE_RACE_SECONDS, RevocationGate, type EndingOrigin } from "../../src/sessions/revocation/revocation-gate";
import type { Revocation, RevocationSource } from "../../src/sessions/revocation/revocation-source";
import type { BusListener, SessionEventBus } from "../../src/sessions/session-event-bus";

// Tokens living 60 s, and the facts in them read up to ISSUE_RACE_SECONDS before they were signed.
const MEMORY_SECONDS = 60 + ISSUE_RACE_SECONDS;
// The gates' clocks start here; a token "issued at start" carries it as its iat.
const START = 1_000_000;
const ISSUED = START;

function ending(sessionId: string, userId = "u1"): SessionEnded {
  return { sessionId, userId, reason: "TERMINATED", endedAt: new Date(0), endedBy: userId };
}

/** The revocation log and the sessions table as the gate reads them: entries in id order, and which sessions ended. */
class FakeLog implements RevocationSource {
  readonly entries: Revocation[] = [];
  readonly endedSessions = new Map<string, SessionEnded>();
  readonly confirmCalls: string[][] = [];
  failConfirm = false;

  end(event: SessionEnded): void {
    this.endedSessions.set(event.sessionId, event);
    this.entries.push({ id: this.entries.length + 1, at: event.endedAt, kind: "ended", ended: event });
  }

  changeRole(userId: string, role: "USER" | "ADMIN"): void {
    this.entries.push({ id: this.entries.length + 1, at: new Date(0), kind: "role", userId, role });
  }

  async recent(): Promise<Revocation[]> {
    return [...this.entries];
  }

  async lastId(): Promise<number> {
    return this.entries.length;
  }

  async after(afterId: number, missing: number[], limit: number): Promise<Revocation[]> {
    return this.entries.filter((e) => e.id > afterId || missing.includes(e.id)).slice(0, limit);
  }

  async ended(sessionIds: string[]): Promise<SessionEnded[]> {
    this.confirmCalls.push(sessionIds);
    if (this.failConfirm) throw new Error("database unavailable");
    return sessionIds.flatMap((id) => this.endedSessions.get(id) ?? []);
  }
}

class FakeBus implements SessionEventBus {
  up = true;
  listener!: BusListener;
  async publish(): Promise<boolean> {
    return true;
  }
  listen(listener: BusListener): void {
    this.listener = listener;
  }
  connected(): boolean {
    return this.up;
  }
  async close(): Promise<void> {}
}

async function startedGate(options: { hearsEveryInstance?: boolean; log?: FakeLog } = {}) {
  const log = options.log ?? new FakeLog();
  const bus = new FakeBus();
  const clock = { ms: START, now: () => clock.ms };
  const gate = new RevocationGate(log, bus, { memorySeconds: MEMORY_SECONDS, catchUpIntervalMs: 1000, hearsEveryInstance: options.hearsEveryInstance ?? true }, clock, silentLogger);
  const told: { sessionId: string; origin: EndingOrigin }[] = [];
  gate.onEnded((event, origin) => told.push({ sessionId: event.sessionId, origin }));
  await gate.load();
  return { gate, log, bus, clock, told };
}

describe("RevocationGate", () => {
  test("what the log held at start is known, not told; other sessions are active without the database", async () => {
    const log = new FakeLog();
    log.end(ending("old"));
    const { gate, told } = await startedGate({ log });
    expect(gate.verdict("old", ISSUED)).toBe("ended");
    expect(gate.verdict("other", ISSUED)).toBe("active");
    expect(told).toEqual([]);
  });

  test("this instance's own commits are told once, as its own", async () => {
    const { gate, told } = await startedGate();
    gate.committed({ ended: [ending("s1")], started: [], rolesChanged: [], changed: [] });
    gate.committed({ ended: [ending("s1")], started: [], rolesChanged: [], changed: [] });
    expect(told).toEqual([{ sessionId: "s1", origin: "here" }]);
    expect(gate.verdict("s1", ISSUED)).toBe("ended");
  });

  test("a claim nobody here acts on is checked in the database until the log settles it; no query is spent on it", async () => {
    const { gate, log, bus, told } = await startedGate();
    log.end(ending("s1"));
    bus.listener.claimed([{ sessionId: "s1", userId: "u1" }]);
    expect(gate.verdict("s1", ISSUED)).toBe("ask-database");
    expect(log.confirmCalls).toEqual([]);
    await gate.catchUp();
    expect(gate.verdict("s1", ISSUED)).toBe("ended");
    expect(told).toEqual([{ sessionId: "s1", origin: "log" }]);
  });

  test("a claim this instance acts on is confirmed at once and told once, and the log does not tell it again", async () => {
    const { gate, log, told } = await startedGate();
    gate.actsOn((claim) => claim.sessionId === "watched");
    log.end(ending("watched"));
    await gate.claimed([{ sessionId: "watched", userId: "u1" }, { sessionId: "unwatched", userId: "u1" }]);
    expect(log.confirmCalls).toEqual([["watched"]]);
    expect(told).toEqual([{ sessionId: "watched", origin: "bus" }]);
    await gate.catchUp();
    expect(told).toEqual([{ sessionId: "watched", origin: "bus" }]);
  });

  test("a bus that echoes this instance's own news (PostgreSQL's NOTIFY): known endings cost no query, and a start is told once", async () => {
    const { gate, log, bus, told } = await startedGate();
    gate.actsOn(() => true);
    const started: string[] = [];
    gate.onStarted((event) => started.push(event.sessionId));
    gate.committed({ ended: [ending("mine")], started: [{ sessionId: "new", userId: "u1", startedAt: new Date(START) }], rolesChanged: [], changed: [] });
    await gate.claimed([{ sessionId: "mine", userId: "u1" }]);
    bus.listener.started([{ sessionId: "new", userId: "u1", startedAt: new Date(START) }]);
    expect(log.confirmCalls).toEqual([]);
    expect(told).toEqual([{ sessionId: "mine", origin: "here" }]);
    expect(started).toEqual(["new"]);
    expect(gate.verdict("mine", ISSUED)).toBe("ended");
  });

  test("an own ending's news can come back before its commit is announced: it is still this instance's, told once as its own", async () => {
    const { gate, log, told } = await startedGate();
    gate.actsOn(() => true);
    const news = { ended: [ending("racing")], started: [], rolesChanged: [], changed: [] };
    const release = gate.committing(news);
    await gate.claimed([{ sessionId: "racing", userId: "u1" }]);
    gate.committed(news);
    release();
    expect(log.confirmCalls).toEqual([]);
    expect(told).toEqual([{ sessionId: "racing", origin: "here" }]);
    // Once released, a claim about another session is confirmed as before.
    await gate.claimed([{ sessionId: "other", userId: "u1" }]);
    expect(log.confirmCalls).toEqual([["other"]]);
  });

  test("a forged claim is believed by nobody: confirmed as not ended, the session is active again", async () => {
    const { gate, log, told } = await startedGate();
    gate.actsOn(() => true);
    await gate.claimed([{ sessionId: "alive", userId: "u1" }]);
    expect(log.confirmCalls).toEqual([["alive"]]);
    expect(told).toEqual([]);
    expect(gate.verdict("alive", ISSUED)).toBe("active");
  });

  test("a claim that cannot be confirmed stays checked in the database", async () => {
    const { gate, log } = await startedGate();
    gate.actsOn(() => true);
    log.failConfirm = true;
    await gate.claimed([{ sessionId: "s1", userId: "u1" }]);
    expect(gate.verdict("s1", ISSUED)).toBe("ask-database");
  });

  test("after a resync memory is not trusted until a catch-up that began later has finished", async () => {
    const log = new FakeLog();
    const { gate } = await startedGate({ log });
    const resyncs: number[] = [];
    gate.onResync(() => resyncs.push(1));
    let release!: () => void;
    const gateOpen = new Promise<void>((resolve) => (release = resolve));
    const after = log.after.bind(log);
    log.after = async (...args) => {
      await gateOpen;
      return after(...args);
    };
    gate.resync();
    expect(resyncs).toEqual([1]);
    expect(gate.trusted()).toBe(false);
    expect(gate.verdict("any", ISSUED)).toBe("ask-database");
    release();
    await gate.catchUp();
    expect(gate.trusted()).toBe(true);
  });

  test("with the bus down, or instances it cannot hear, every session not known ended is asked of the database", async () => {
    const down = await startedGate();
    down.bus.up = false;
    expect(down.gate.verdict("s1", ISSUED)).toBe("ask-database");
    const deaf = await startedGate({ hearsEveryInstance: false });
    expect(deaf.gate.verdict("s1", ISSUED)).toBe("ask-database");
    deaf.gate.committed({ ended: [ending("s2")], started: [], rolesChanged: [], changed: [] });
    expect(deaf.gate.verdict("s2", ISSUED)).toBe("ended");
  });

  test("an ending is forgotten once no token of its session can still be valid, by the injected clock", async () => {
    const { gate, clock } = await startedGate();
    gate.committed({ ended: [ending("s1")], started: [], rolesChanged: [], changed: [] });
    clock.ms += (MEMORY_SECONDS - 1) * 1000;
    await gate.tick();
    expect(gate.verdict("s1", ISSUED)).toBe("ended");
    clock.ms += 2000;
    await gate.tick();
    expect(gate.tracked).toBe(0);
    // A token issued before the ending is older than memory vouches for: never "active" from memory.
    expect(gate.verdict("s1", ISSUED)).toBe("ask-database");
  });

  test("[issue 14] a token older than what memory holds is asked of the database, one within it is not", async () => {
    const { gate, clock } = await startedGate();
    clock.ms += 10 * MEMORY_SECONDS * 1000;
    const memoryHoldsSince = clock.ms - (MEMORY_SECONDS - ISSUE_RACE_SECONDS) * 1000;
    expect(gate.verdict("s1", memoryHoldsSince)).toBe("ask-database");
    expect(gate.verdict("s1", memoryHoldsSince + 1000)).toBe("active");
  });

  test("[issue 14] a demotion is the role of every token issued before it, and memory expiry never gives such a token its claim back", async () => {
    const { gate, log, clock } = await startedGate();
    clock.ms += 5000;
    const demotedAt = clock.ms;
    log.changeRole("u1", "USER");
    await gate.catchUp();
    const before = demotedAt - 1000;
    expect(gate.roleOf("u1", before)).toBe("USER");
    // A token signed just after it may carry a role read before it.
    expect(gate.roleOf("u1", demotedAt + (ISSUE_RACE_SECONDS - 1) * 1000)).toBe("USER");
    // One issued well after it carries the role as it was then: its claim stands.
    expect(gate.roleOf("u1", demotedAt + (ISSUE_RACE_SECONDS + 1) * 1000)).toBeUndefined();
    // A token whose facts may predate the demotion (issued up to ISSUE_RACE_SECONDS after it), at
    // any time while memory would take it as active, acts as USER; once the change is forgotten,
    // none of them is taken as active from memory any more (the database has the role).
    let judgedFromMemory = 0;
    for (clock.ms = demotedAt; clock.ms <= demotedAt + 2 * MEMORY_SECONDS * 1000; clock.ms += 1000) {
      await gate.tick();
      for (let issued = demotedAt - 60_000; issued < demotedAt + ISSUE_RACE_SECONDS * 1000; issued += 500) {
        if (gate.verdict("s1", issued) !== "active") continue;
        judgedFromMemory++;
        expect(gate.roleOf("u1", issued)).toBe("USER");
      }
    }
    expect(judgedFromMemory).toBeGreaterThan(0);
    expect(gate.tracked).toBe(0);
    expect(gate.verdict("s1", before)).toBe("ask-database");
  });

  test("a role change read from the log is the caller's role, and its listeners are told", async () => {
    const { gate, log } = await startedGate();
    const changed: string[] = [];
    gate.onRoleChanged((userId) => changed.push(userId));
    log.changeRole("u1", "USER");
    await gate.catchUp();
    expect(gate.roleOf("u1", ISSUED)).toBe("USER");
    expect(changed).toEqual(["u1"]);
  });

  test("starts, from here or claimed by another instance, reach the start listeners", async () => {
    const { gate, bus } = await startedGate();
    const started: string[] = [];
    gate.onStarted((event) => started.push(event.sessionId));
    gate.committed({ ended: [], started: [{ sessionId: "here", userId: "u1", startedAt: new Date(0) }], rolesChanged: [], changed: [] });
    bus.listener.started([{ sessionId: "there", userId: "u1", startedAt: new Date(0) }]);
    expect(started).toEqual(["here", "there"]);
  });

  test("how far behind the log it is, by the injected clock", async () => {
    const { gate, clock } = await startedGate();
    clock.ms += 5000;
    expect(gate.secondsBehind).toBe(5);
    await gate.catchUp();
    expect(gate.secondsBehind).toBe(0);
  });
});
