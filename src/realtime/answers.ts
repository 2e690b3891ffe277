import { withDeadline } from "./deadline";

/** The most instances whose answers are remembered: a fleet is far smaller, and departed instances' ids stay behind. */
const REMEMBERED = 1000;

interface Waiter {
  question: number;
  enough: (answeredBy: string[]) => boolean;
  done: () => void;
}

/**
 * Which of this instance's numbered questions ("have you heard everything I sent before this?")
 * each other instance has answered, and the publishes waiting for enough answers. An instance
 * reads the bus in order, so answering question n answers every question before it too.
 */
export class Answers {
  private readonly upTo = new Map<string, number>();
  private readonly waiting = new Set<Waiter>();

  answered(by: string, question: number): void {
    const before = this.upTo.get(by) ?? 0;
    if (before >= question) return;
    this.upTo.delete(by);
    this.upTo.set(by, question);
    if (this.upTo.size > REMEMBERED) this.upTo.delete(this.upTo.keys().next().value!);
    for (const waiter of this.waiting) if (waiter.question <= question) this.check(waiter);
  }

  /**
   * Whether `enough` came to hold, of those who answered `question`, within `ms` (judged as every
   * bus deadline is: an answer read late because this process was busy still counts).
   */
  async waitFor(question: number, enough: (answeredBy: string[]) => boolean, ms: number): Promise<boolean> {
    let waiter: Waiter | undefined;
    const answered = new Promise<void>((done) => (waiter = { question, enough, done }));
    // An answer can arrive before its question's own reply is read.
    if (this.check(waiter!)) return true;
    this.waiting.add(waiter!);
    try {
      return await withDeadline(answered, ms);
    } finally {
      this.waiting.delete(waiter!);
    }
  }

  private check(waiter: Waiter): boolean {
    const by = [...this.upTo].filter(([, question]) => question >= waiter.question).map(([id]) => id);
    if (!waiter.enough(by)) return false;
    this.waiting.delete(waiter);
    waiter.done();
    return true;
  }
}
