import { Answers } from "../../src/realtime/answers";

describe("Answers: which of this instance's questions the others have answered", () => {
  const everyOf = (ids: string[]) => (by: string[]) => ids.every((id) => by.includes(id));

  test("settles once everyone waited for has answered, not before", async () => {
    const answers = new Answers();
    let settled: boolean | undefined;
    const waiting = answers.waitFor(1, everyOf(["b", "c"]), 1000).then((result) => (settled = result));
    answers.answered("b", 1);
    await Promise.resolve();
    expect(settled).toBeUndefined();
    answers.answered("c", 1);
    expect(await waiting).toBe(true);
  });

  test("an answer to a later question answers the earlier ones; an answer to an earlier one does not answer a later", async () => {
    const answers = new Answers();
    answers.answered("b", 5);
    expect(await answers.waitFor(3, everyOf(["b"]), 1000)).toBe(true);
    expect(await answers.waitFor(6, everyOf(["b"]), 20)).toBe(false);
  });

  test("an answer read before the question's own reply counts", async () => {
    const answers = new Answers();
    answers.answered("b", 1);
    answers.answered("c", 1);
    expect(await answers.waitFor(1, (by) => by.length >= 2, 1000)).toBe(true);
  });

  test("a silent instance: false after the wait, and nothing is left waiting", async () => {
    const answers = new Answers();
    expect(await answers.waitFor(1, everyOf(["b", "silent"]), 30)).toBe(false);
    answers.answered("b", 1);
    expect((answers as unknown as { waiting: Set<unknown> }).waiting.size).toBe(0);
  });
});
