import { silentLogger } from "../../src/logging/logger";
import { LocalOnlyEventBus, type SessionNews } from "../../src/sessions/session-event-bus";
import { announceTo } from "../../src/sessions/unit-of-work";

const ENDING: SessionNews = {
  ended: [{ sessionId: "s1", userId: "u1", reason: "TERMINATED", endedAt: new Date(), endedBy: "u1" }],
  started: [],
  rolesChanged: [],
  changed: [],
};
const ROLE_CHANGE: SessionNews = { ended: [], started: [], rolesChanged: ["u1"], changed: [] };
const EXPIRY: SessionNews = { ...ENDING, ended: [{ ...ENDING.ended[0], reason: "EXPIRED", endedBy: null }] };
const START: SessionNews = { ended: [], started: [{ sessionId: "s2", userId: "u1", startedAt: new Date() }], rolesChanged: [], changed: [] };

/** A bus whose publish says whether the others were told. */
class Bus extends LocalOnlyEventBus {
  constructor(private readonly delivered: boolean) {
    super();
  }
  override async publish(): Promise<boolean> {
    return this.delivered;
  }
}

describe("announcing a commit", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function settledWithin(news: SessionNews, delivered: boolean, ms: number): Promise<boolean> {
    let settled = false;
    const told: SessionNews[] = [];
    void announceTo({ committed: (n) => told.push(n) }, new Bus(delivered), silentLogger, 1250)(news).then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(ms);
    // This instance is told at once, whatever the bus says.
    expect(told).toEqual([news]);
    return settled;
  }

  test("an ending or role change the bus could not confirm holds the answer until the others have read the log", async () => {
    for (const news of [ENDING, ROLE_CHANGE]) {
      expect(await settledWithin(news, false, 1200)).toBe(false);
      expect(await settledWithin(news, false, 1250)).toBe(true);
    }
  });

  test("a confirmed ending, an expiry (no token outlives it), or news only lists show, is answered at once", async () => {
    expect(await settledWithin(ENDING, true, 0)).toBe(true);
    expect(await settledWithin(EXPIRY, false, 0)).toBe(true);
    expect(await settledWithin(START, false, 0)).toBe(true);
  });
});
