import { memoryStorage } from "../../client/src/token-storage";
import { REFRESH_TOKEN_KEY, Tokens, type RefreshOutcome, type TokenPair } from "../../client/src/tokens";
import type { SignedOut } from "../../client/src/types";

// The client package's token keeping, on jest's fake clock: no server, only the rules.
describe("the client's tokens", () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse("2026-12-04T12:00:00Z") }));
  afterEach(() => jest.useRealTimers());

  const pair = (n: number, lifetimeMs = 600_000): TokenPair => ({ accessToken: `access-${n}`, accessTokenExpiresAt: new Date(Date.now() + lifetimeMs).toISOString(), refreshToken: `refresh-${n}` });

  function keeper(answers: (RefreshOutcome | Promise<RefreshOutcome>)[]) {
    const storage = memoryStorage();
    const presented: string[] = [];
    const endings: SignedOut[] = [];
    const tokens = new Tokens(storage, async (refreshToken) => (presented.push(refreshToken), answers.shift() ?? "unreachable"), (e) => endings.push(e), false);
    return { tokens, storage, presented, endings };
  }

  test("refreshed a minute before the access token expires, with the stored refresh token", async () => {
    const { tokens, storage, presented } = keeper([pair(2)]);
    await tokens.signedIn(pair(1));
    expect(await storage.get(REFRESH_TOKEN_KEY)).toBe("refresh-1");
    await jest.advanceTimersByTimeAsync(600_000 - 60_000 - 1);
    expect(presented).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(presented).toEqual(["refresh-1"]);
    expect(tokens.current()).toBe("access-2");
    expect(await storage.get(REFRESH_TOKEN_KEY)).toBe("refresh-2");
  });

  test("a short-lived token is refreshed at three quarters of its life", async () => {
    const { tokens, presented } = keeper([pair(2, 8_000)]);
    await tokens.signedIn(pair(1, 8_000));
    await jest.advanceTimersByTimeAsync(5_999);
    expect(presented).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(presented).toEqual(["refresh-1"]);
  });

  test("one refresh at a time: callers at the same moment share it", async () => {
    let answer!: (outcome: RefreshOutcome) => void;
    const { tokens, presented } = keeper([new Promise((resolve) => (answer = resolve))]);
    await tokens.signedIn(pair(1));
    const all = [tokens.refresh(), tokens.refresh(), tokens.fresh()];
    await jest.advanceTimersByTimeAsync(0);
    answer(pair(2));
    // fresh() did not wait: its token was still good for minutes.
    expect(await Promise.all(all)).toEqual(["access-2", "access-2", "access-1"]);
    expect(presented).toEqual(["refresh-1"]);
  });

  test("unreachable: both tokens kept, tried again on a growing, capped back-off", async () => {
    const { tokens, storage, presented, endings } = keeper([]);
    await tokens.signedIn(pair(1, 8_000));
    await jest.advanceTimersByTimeAsync(6_000);
    expect(presented).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    // 1 s, 2 s, 4 s … capped at 30 s, fully jittered: about a try every 15 s once capped, never a tight loop.
    expect(presented.length).toBeGreaterThan(15);
    expect(presented.length).toBeLessThan(100);
    expect(tokens.current()).toBe("access-1");
    expect(await storage.get(REFRESH_TOKEN_KEY)).toBe("refresh-1");
    expect(endings).toEqual([]);
  });

  test("refused: both tokens dropped at once, the ending told with the server's reason and time", async () => {
    const endedAt = "2026-12-04T11:59:00.000Z";
    const { tokens, storage, endings } = keeper([{ refused: { reason: "ADMIN_LOGOUT", endedAt } }]);
    await tokens.signedIn(pair(1));
    expect(await tokens.refresh()).toBeNull();
    expect(tokens.current()).toBeNull();
    expect(await storage.get(REFRESH_TOKEN_KEY)).toBeNull();
    expect(endings).toEqual([{ reason: "ADMIN_LOGOUT", endedAt }]);
    // No timer left to refresh a session that is over.
    expect(jest.getTimerCount()).toBe(0);
  });
});
