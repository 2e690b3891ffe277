import { SessionLists, type ListedSession } from "../../src/sessions/session-lists";

const HOUR = 3_600_000;

function listed(id: string, expiresAt: number): ListedSession {
  return {
    id,
    deviceType: "Linux",
    os: null,
    browser: "Firefox",
    browserVersion: null,
    userAgent: "test",
    ipAddress: "127.0.0.1",
    location: null,
    createdAt: new Date(0),
    lastActiveAt: new Date(0),
    expiresAt: new Date(expiresAt),
    signals: [],
    name: null,
    client: "BROWSER",
  };
}

/** Lists over a fake database whose reads finish only when the test says so. */
function lists(options: { hears?: () => boolean; ttlMs?: number } = {}) {
  let now = 1_000_000;
  const rows = new Map<string, ListedSession[]>([["u1", [listed("s1", 1_000_000 + HOUR)]]]);
  const pending: (() => void)[] = [];
  let reads = 0;
  const subject = new SessionLists(
    async (userId) => {
      reads++;
      const answer = rows.get(userId) ?? [];
      await new Promise<void>((resolve) => pending.push(resolve));
      return answer;
    },
    { now: () => now },
    options.hears ?? (() => true),
    { capacity: 2, ttlMs: options.ttlMs ?? 60_000 },
  );
  return {
    subject,
    rows,
    get reads() {
      return reads;
    },
    finishReads: async () => {
      for (const resolve of pending.splice(0)) resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
    advance: (ms: number) => (now += ms),
  };
}

describe("SessionLists", () => {
  test("callers while a list is read share that read; then the list is held and read from memory", async () => {
    const t = lists();
    const waiting = Array.from({ length: 50 }, () => t.subject.of("u1"));
    await t.finishReads();
    for (const list of await Promise.all(waiting)) expect(list.map((s) => s.id)).toEqual(["s1"]);
    expect(t.reads).toBe(1);
    expect((await t.subject.of("u1")).map((s) => s.id)).toEqual(["s1"]);
    expect(t.reads).toBe(1);
  });

  test("news while a list is read: that read is not kept, and the next caller reads again", async () => {
    const t = lists();
    const first = t.subject.of("u1");
    t.rows.set("u1", [listed("s1", 1_000_000 + HOUR), listed("s2", 1_000_000 + HOUR)]);
    t.subject.forget("u1");
    const second = t.subject.of("u1");
    await t.finishReads();
    await Promise.all([first, second]);
    expect(t.reads).toBe(2);
    const third = t.subject.of("u1");
    expect((await third).map((s) => s.id)).toEqual(["s1", "s2"]);
    expect(t.reads).toBe(2);
  });

  test("a list is dropped by news of its user, by a touch of one of its sessions, after the time to live, and is not used while news may be missed", async () => {
    let hears = true;
    const t = lists({ hears: () => hears, ttlMs: 60_000 });
    const read = async () => {
      const list = t.subject.of("u1");
      await t.finishReads();
      return list;
    };
    await read();
    t.subject.forget("u1");
    await read();
    expect(t.reads).toBe(2);
    t.subject.touched(["s1"]);
    await read();
    expect(t.reads).toBe(3);
    t.advance(60_000);
    await read();
    expect(t.reads).toBe(4);
    hears = false;
    await read();
    expect(t.reads).toBe(5);
  });

  test("sessions past their expiry leave a held list without a read", async () => {
    const t = lists();
    t.rows.set("u1", [listed("s1", 1_000_000 + 1000), listed("s2", 1_000_000 + HOUR)]);
    const first = t.subject.of("u1");
    await t.finishReads();
    expect((await first).map((s) => s.id)).toEqual(["s1", "s2"]);
    t.advance(1000);
    expect((await t.subject.of("u1")).map((s) => s.id)).toEqual(["s2"]);
    expect(t.reads).toBe(1);
  });
});
