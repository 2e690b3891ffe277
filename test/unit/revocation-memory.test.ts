import { LogCursor } from "../../src/sessions/revocation/log-cursor";
import { RevocationSet } from "../../src/sessions/revocation/revocation-set";

describe("LogCursor", () => {
  test("reads on after the highest id, and asks again for ids skipped below it", () => {
    const cursor = new LogCursor(30_000);
    cursor.saw([3, 1], 0);
    expect(cursor.after).toBe(3);
    expect(cursor.missing).toEqual([2]);
    cursor.saw([2, 6], 1000);
    expect(cursor.after).toBe(6);
    expect(cursor.missing.sort()).toEqual([4, 5]);
  });

  test("a skipped id that never commits (a rollback) is given up after the patience", () => {
    const cursor = new LogCursor(30_000);
    cursor.saw([1, 3], 0);
    cursor.saw([], 29_000);
    expect(cursor.missing).toEqual([2]);
    cursor.saw([], 31_000);
    expect(cursor.missing).toEqual([]);
  });

  test("the first read leaves no gap below it, and a huge jump watches only its top end", () => {
    const cursor = new LogCursor(30_000);
    cursor.saw([5_000_000], 0);
    expect(cursor.missing).toEqual([]);
    cursor.saw([5_100_000], 0);
    expect(cursor.missing).toHaveLength(10_000);
    expect(Math.min(...cursor.missing)).toBe(5_090_000);
  });
});

describe("RevocationSet", () => {
  test("an ending is news once, and forgotten after the memory", () => {
    let now = 0;
    const set = new RevocationSet(1000, () => now);
    expect(set.addEnded("s1")).toBe(true);
    expect(set.addEnded("s1")).toBe(false);
    expect(set.isEnded("s1")).toBe(true);
    now = 1001;
    set.prune();
    expect(set.isEnded("s1")).toBe(false);
    expect(set.size).toBe(0);
  });

  test("a claim is suspect until settled; an ending settles it", () => {
    const set = new RevocationSet(1000, () => 0);
    set.suspect(["s1", "s2"]);
    expect(set.isSuspect("s1")).toBe(true);
    set.addEnded("s1");
    set.clearSuspect("s2");
    expect([set.isSuspect("s1"), set.isSuspect("s2"), set.isEnded("s1")]).toEqual([false, false, true]);
  });

  test("a role change read late does not undo a newer one", () => {
    const set = new RevocationSet(1000, () => 0);
    set.setRole("u", "USER", 7);
    set.setRole("u", "ADMIN", 5);
    expect(set.roleOf("u")).toBe("USER");
    expect(set.roleOf("other")).toBeUndefined();
  });
});
