import type { Browser, BrowserContext, Page, WebSocketRoute } from "playwright-core";
import { MySessionsDocument, TerminateSessionDocument } from "../../web/src/gql/graphql";
import { freePort, startServiceProcess, type ServiceProcess } from "../../support/service-process";
import { login, PASSWORD, signUp, USER_AGENTS } from "../helpers/accounts";
import { describeWithChromium, launchChromium, offlineContext } from "../helpers/browser";
import { dataOf, request } from "../helpers/graphql-client";
import { seededDataDir, serverAt, type TestServer } from "../helpers/test-server";
import { sleep, until } from "../helpers/time";

// The Sessions page through an outage of the service and a network that drops. The page's own
// code decides everything here (its back-off, its wake-ups, its refetch, its reading of 4403):
// the test only takes the service and the network away and gives them back.
jest.setTimeout(240_000);
const OUTAGE_MS = 60_000;
// The page's back-off is capped at 30 s: back within that, plus a start and a handshake.
const BACK_WITHIN_MS = 45_000;

// What the page.evaluate callbacks use of the page's globals (the tests compile without DOM types).
declare const window: { notReloaded?: boolean };
declare const document: { querySelectorAll(selector: string): { length: number } };

describeWithChromium("page outage")("the Sessions page through outages, without a reload", () => {
  let browser: Browser;
  let service: ServiceProcess | undefined;
  let env: Record<string, string | undefined>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    env = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: await seededDataDir(), PORT: String(await freePort()) };
    service = await startServiceProcess(env);
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    // A test that failed while the service was stopped leaves it stopped: the next test gets it back.
    if (service && (service.child.exitCode !== null || service.child.signalCode !== null)) service = await startServiceProcess(env);
  });
  afterAll(async () => {
    await browser?.close();
    service?.child.kill("SIGKILL");
  });

  const server = (): TestServer => serverAt(service!.url);
  const sessionRows = (page: Page) => page.getByRole("list", { name: "Active sessions" }).getByRole("listitem");
  const reconnecting = (page: Page) => page.getByRole("status").filter({ hasText: "Reconnecting" });
  const signedOut = (page: Page) => page.getByRole("heading", { name: "You have been signed out" });

  /** Waits until the page lists this many sessions. */
  async function showsSessions(page: Page, count: number, timeout = 5_000): Promise<void> {
    await page.waitForFunction((n) => document.querySelectorAll("ul[aria-label='Active sessions'] > li").length === n, count, { timeout });
  }

  /** A signed-in Sessions page of a new account (its sign-up is a session too, of the same browser), marked so that a reload would show. */
  async function signedInPage(setUp?: (context: BrowserContext) => Promise<void>): Promise<{ page: Page; email: string }> {
    const { context } = await offlineContext(browser, { userAgent: USER_AGENTS.macChrome });
    contexts.push(context);
    await setUp?.(context);
    const { user } = await signUp(server());
    const page = await context.newPage();
    await page.goto(service!.url);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await showsSessions(page, 2);
    await page.evaluate(() => (window.notReloaded = true));
    return { page, email: user.email };
  }

  /** From another device of the account: its token, and the id of the page's session (the newest other one). */
  async function otherDevice(email: string): Promise<{ token: string; pageSessionId: string }> {
    const other = await login(server(), email, USER_AGENTS.windowsEdge);
    const sessions = dataOf(await request(server().graphqlUrl, MySessionsDocument, {}, { token: other.accessToken })).mySessions;
    const pageSession = sessions.filter((s) => !s.isCurrent && s.userAgent === USER_AGENTS.macChrome).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
    return { token: other.accessToken, pageSessionId: pageSession.id };
  }

  test("service down 60 s: the page says so, comes back by itself, shows what it missed, and is signed out live with the reason", async () => {
    // Every socket the page opens, passed through untouched: counted, to see it try while the service is away.
    let tries = 0;
    const { page, email } = await signedInPage((context) =>
      context.routeWebSocket(/\/graphql$/, (ws) => {
        tries++;
        ws.connectToServer();
      }),
    );
    // Counted from the kill, when the page's socket closes and its back-off starts again from
    // 1 s: a shutdown slowed by a loaded machine would otherwise take the short waits with it.
    const triesBefore = tries;
    await service!.child.kill("SIGTERM");
    await service!.exited;
    await reconnecting(page).waitFor();
    await sleep(OUTAGE_MS);
    // Still on the list it had, still signed in, still trying: the page keeps its tokens while the
    // server is down, through every failed try. Its back-off (ceilings of 1, 2, 4, 8, 16, then 30 s)
    // fits five tries or more in the minute.
    expect(tries - triesBefore).toBeGreaterThanOrEqual(5);
    expect(await reconnecting(page).count()).toBe(1);
    await sessionRows(page).first().waitFor();
    expect(await signedOut(page).count()).toBe(0);

    service = await startServiceProcess(env);
    // A device that logs in while the page is still away: nothing pushes it to the page, only the
    // page's refetch after its reconnect can show it.
    const other = await otherDevice(email);
    await reconnecting(page).waitFor({ state: "hidden", timeout: BACK_WITHIN_MS });
    await showsSessions(page, 3, 10_000);

    dataOf(await request(server().graphqlUrl, TerminateSessionDocument, { sessionId: other.pageSessionId }, { token: other.token }));
    await signedOut(page).waitFor({ timeout: 5_000 });
    await page.getByText("Your session was ended from another device.").waitFor();
    expect(await page.evaluate(() => window.notReloaded)).toBe(true);
  });

  test("a network that drops while the session is ended elsewhere: back online, the refused reconnect (4403) signs the page out with the reason", async () => {
    let away = false;
    let triesWhileAway = 0;
    const routes: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    const { page, email } = await signedInPage((context) =>
      // The page's socket through a switch the test can open: a dropped network, without touching the service.
      context.routeWebSocket(/\/graphql$/, (ws) => {
        if (away) {
          triesWhileAway++;
          return ws.close({ code: 1001, reason: "network down" });
        }
        routes.push({ page: ws, server: ws.connectToServer() });
      }),
    );
    await page.context().setOffline(true);
    away = true;
    for (const route of routes.splice(0)) {
      await route.server.close();
      await route.page.close({ code: 1001, reason: "network down" });
    }
    await reconnecting(page).waitFor();

    const other = await otherDevice(email);
    dataOf(await request(server().graphqlUrl, TerminateSessionDocument, { sessionId: other.pageSessionId }, { token: other.token }));
    // Its session is over, and nothing can tell it so. Five of its tries fail with the network, and
    // its back-off's ceiling grows to its 30 s cap; once the last of them is under way it has got
    // over one failure at least since the ending. Through them all it stays signed in, still trying.
    const triesBefore = triesWhileAway;
    await until(() => triesWhileAway >= Math.max(5, triesBefore + 2), 60_000);
    expect(await reconnecting(page).count()).toBe(1);
    await sessionRows(page).first().waitFor();
    expect(await signedOut(page).count()).toBe(0);

    away = false;
    const back = Date.now();
    await page.context().setOffline(false);
    await signedOut(page).waitFor({ timeout: 5_000 });
    // At once on `online`, not at the end of the back-off.
    expect(Date.now() - back).toBeLessThan(3_000);
    await page.getByText("Your session was ended from another device.").waitFor();
    expect(await page.evaluate(() => window.notReloaded)).toBe(true);
  });

  test("a failed action says so: ending a session while the service is down shows an error and keeps the row", async () => {
    const { page, email } = await signedInPage();
    await otherDevice(email);
    await showsSessions(page, 3);
    await service!.child.kill("SIGTERM");
    await service!.exited;
    try {
      await page.getByRole("button", { name: "Terminate session", exact: true }).first().click();
      await page.getByRole("alert").filter({ hasText: "The session was not ended." }).waitFor();
      expect(await sessionRows(page).count()).toBe(3);
      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("alert").filter({ hasText: "You are still signed in." }).waitFor();
      expect(await signedOut(page).count()).toBe(0);
    } finally {
      service = await startServiceProcess(env);
    }
  });

  test("an action answered UNAUTHENTICATED (its access token refused) refreshes once and is sent again", async () => {
    const { page, email } = await signedInPage();
    await otherDevice(email);
    await showsSessions(page, 3);
    // The page's next operation carries a token the server refuses, as one that expired while the tab slept.
    let tampered = 0;
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (tampered > 0 || !body.includes("EndSession")) return route.fallback();
      tampered++;
      await route.fallback({ headers: { ...route.request().headers(), authorization: "Bearer not-a-token" } });
    });
    await page.getByRole("button", { name: "Terminate session", exact: true }).first().click();
    await showsSessions(page, 2);
    expect(tampered).toBe(1);
    expect(await page.getByRole("alert").filter({ hasText: "not ended" }).count()).toBe(0);
    expect(await signedOut(page).count()).toBe(0);
  });
});
