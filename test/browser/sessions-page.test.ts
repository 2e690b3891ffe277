import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { LoginDocument, RefreshSessionDocument } from "../../web/src/gql/graphql";
import { PASSWORD, signUp, uniqueEmail, USER_AGENTS } from "../helpers/accounts";
import { describeWithChromium, launchChromium, offlineContext, type Watched } from "../helpers/browser";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";

// What the page.evaluate callbacks use of the page's globals (the tests compile without DOM types).
declare const localStorage: { getItem(key: string): string | null };
declare const document: { activeElement: { getAttribute(name: string): string | null; textContent: string | null; tagName: string } | null };

const RESULTS = path.join(__dirname, "..", "..", "test-results");
const REFRESH_TOKEN_KEY = "session-service.refreshToken";
const DEVICE_TOKENS_KEY = "session-service.deviceTokens";

interface Device extends Watched {
  context: BrowserContext;
  page: Page;
}

describeWithChromium("Sessions page")("the Sessions page in a browser with no internet", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD });
  let browser: Browser;
  const opened: Device[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    fs.mkdirSync(RESULTS, { recursive: true });
  });
  afterEach(async () => {
    for (const device of opened.splice(0)) await device.context.close();
  });
  afterAll(() => browser?.close());

  /** A browser of its own (a device), with this User-Agent, on `path`. */
  async function device(userAgent: string, pathname = "/"): Promise<Device> {
    const { context, offsite, problems } = await offlineContext(browser, { userAgent, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}${pathname}`);
    const opened_ = { context, page, offsite, problems };
    opened.push(opened_);
    return opened_;
  }

  async function submitLogin(page: Page, email: string): Promise<void> {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
  }

  async function logIn(page: Page, email: string): Promise<void> {
    await submitLogin(page, email);
    await page.getByRole("list", { name: "Active sessions" }).waitFor();
  }

  /** An administrator's page on /admin, signed in, showing this user's sessions and activity. */
  async function adminLookingAt(email: string): Promise<Device> {
    const admin = await device(USER_AGENTS.windowsEdge, "/admin");
    await submitLogin(admin.page, adminEmail);
    await admin.page.getByLabel("Search users").fill(email);
    await admin.page.getByRole("button", { name: email }).click();
    return admin;
  }

  const sessionRows = (page: Page) => page.getByRole("list", { name: "Active sessions" }).getByRole("listitem");
  const signedOutHeading = (page: Page) => page.getByRole("heading", { name: /signed out/i });

  function expectClean(...devices: Device[]): void {
    for (const d of devices) {
      expect(d.offsite).toEqual([]);
      expect(d.problems).toEqual([]);
    }
  }

  test("a second device appears live as a new device; terminating it signs it out at once, and its refresh token is dead", async () => {
    const email = uniqueEmail();
    await signUp(server, email);
    const first = await device(USER_AGENTS.macChrome);
    await logIn(first.page, email);
    await expect(sessionRows(first.page).count()).resolves.toBe(2);

    const second = await device(USER_AGENTS.windowsEdge);
    await logIn(second.page, email);
    // The first page was not reloaded: the new row came over mySessionsChanged.
    const newRow = sessionRows(first.page).filter({ hasText: "Windows" });
    await newRow.waitFor();
    await expect(newRow.getByText("New device").count()).resolves.toBe(1);
    await first.page.getByRole("alert").filter({ hasText: "New sign-in: Edge on Windows" }).waitFor();
    const current = sessionRows(second.page).filter({ hasText: "Your session" });
    await expect(current.count()).resolves.toBe(1);
    await expect(sessionRows(second.page).first().textContent()).resolves.toContain("Your session");

    const storedRefreshToken = await second.page.evaluate((key) => localStorage.getItem(key), REFRESH_TOKEN_KEY);
    expect(storedRefreshToken).toBeTruthy();
    // Pushed, not polled: well within the 60 s the page would otherwise take to notice. How fast is
    // measured by `npm run bench:page`, not here on a machine shared with other tests.
    await newRow.getByRole("button", { name: "Terminate session" }).click();
    await signedOutHeading(second.page).waitFor({ timeout: 5000 });
    await second.page.getByText("Your session was ended from another device.").waitFor();
    expect(await second.page.evaluate((key) => localStorage.getItem(key), REFRESH_TOKEN_KEY)).toBeNull();
    expect(codeOf(await request(server.graphqlUrl, RefreshSessionDocument, { refreshToken: storedRefreshToken! }))).toBe("UNAUTHENTICATED");
    await newRow.waitFor({ state: "detached" });
    // And back in, from the signed-out screen.
    await second.page.getByRole("button", { name: "Log in again" }).click();
    await logIn(second.page, email);
    expectClean(first, second);
  });

  test("the page keeps its device token through a logout and sends it: it gets in while the account is locked by guesses from elsewhere", async () => {
    const email = uniqueEmail();
    await signUp(server, email);
    const laptop = await device(USER_AGENTS.macChrome);
    await logIn(laptop.page, email);
    await laptop.page.getByRole("button", { name: "Log out" }).click();
    // Straight back to the sign-in form.
    await laptop.page.getByRole("button", { name: "Log in" }).waitFor();
    expect(await laptop.page.evaluate((key) => localStorage.getItem(key), DEVICE_TOKENS_KEY)).toBeTruthy();

    for (let i = 0; i < 5; i++) expect(codeOf(await request(server.graphqlUrl, LoginDocument, { email, password: "not the password" }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD }))).toBe("RATE_LIMITED");
    await logIn(laptop.page, email);
    expectClean(laptop);
  });

  test("'Terminate sessions' asks first, then signs every other device out live; a password change does too, and says how many", async () => {
    const email = uniqueEmail();
    await signUp(server, email);
    const [a, b, c] = await Promise.all([device(USER_AGENTS.macChrome), device(USER_AGENTS.windowsEdge), device(USER_AGENTS.ubuntuFirefox)]);
    for (const d of [a, b, c]) await logIn(d.page, email);
    await sessionRows(a.page).nth(3).waitFor();

    await a.page.getByRole("button", { name: "Terminate sessions" }).click();
    const dialog = a.page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(sessionRows(a.page).count()).resolves.toBe(4);
    await a.page.getByRole("button", { name: "Terminate sessions" }).click();
    await dialog.getByRole("button", { name: "Confirm" }).click();
    for (const d of [b, c]) {
      await signedOutHeading(d.page).waitFor();
      await d.page.getByText("All other sessions were ended").waitFor();
    }
    await expect(sessionRows(a.page).count()).resolves.toBe(1);

    const d = await device(USER_AGENTS.iphoneSafari);
    await logIn(d.page, email);
    await sessionRows(a.page).nth(1).waitFor();
    await a.page.getByLabel("Current password").fill(PASSWORD);
    await a.page.getByLabel("New password").fill("a brand new password");
    await a.page.getByRole("button", { name: "Change password" }).click();
    await a.page.getByRole("status").filter({ hasText: "Password changed. 1 other session was ended." }).waitFor();
    await signedOutHeading(d.page).waitFor();
    await d.page.getByText("Your password was changed").waitFor();
    expectClean(a, b, c, d);
  });

  test("an administrator finds the user and logs them out: each of their pages is signed out live; a USER at /admin is refused", async () => {
    const email = uniqueEmail("target");
    await signUp(server, email);
    const [u1, u2] = await Promise.all([device(USER_AGENTS.macChrome), device(USER_AGENTS.androidChrome)]);
    for (const d of [u1, u2]) await logIn(d.page, email);

    const admin = await adminLookingAt(email);
    await admin.page.getByRole("list", { name: "Sessions of this user" }).getByRole("listitem").nth(2).waitFor();
    await admin.page.getByRole("button", { name: "More actions" }).click();
    await admin.page.getByRole("menuitem", { name: "Logout" }).click();
    await admin.page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    await admin.page.getByRole("status").filter({ hasText: "Logged out: 3 sessions ended." }).waitFor();
    for (const d of [u1, u2]) {
      await signedOutHeading(d.page).waitFor();
      await d.page.getByText("An administrator logged you out.").waitFor();
    }

    // A USER is refused in words, not with a broken page.
    const user = await device(USER_AGENTS.macChrome, "/admin");
    await submitLogin(user.page, email);
    await user.page.getByRole("heading", { name: "Administrators only" }).waitFor();
    expectClean(u1, u2, admin, user);
  });

  test("a device is named from its row and the list says so; an account's first session has no 'New device' badge; its last activity is shown", async () => {
    const email = uniqueEmail();
    const laptop = await device(USER_AGENTS.macChrome);
    await laptop.page.getByLabel("Email").fill(email);
    await laptop.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await laptop.page.getByRole("button", { name: "Sign up" }).click();
    await sessionRows(laptop.page).first().waitFor();
    // The first session of an account: nothing to compare it with, so nothing to flag.
    expect(await laptop.page.getByText("New device").count()).toBe(0);
    await expect(sessionRows(laptop.page).first().textContent()).resolves.toContain("Active now");

    await laptop.page.getByRole("button", { name: "Rename Chrome on Macintosh" }).click();
    await laptop.page.getByLabel("Device name").fill("  <b>Work</b> laptop ");
    await laptop.page.getByRole("button", { name: "Save" }).click();
    // Plain text, trimmed; shown as written, never as markup.
    await sessionRows(laptop.page).filter({ hasText: "<b>Work</b> laptop" }).waitFor();
    expect(await laptop.page.locator("li.session b").count()).toBe(0);
    // A name the service refuses is said so, beside the field.
    await laptop.page.getByRole("button", { name: "Rename <b>Work</b> laptop" }).click();
    await laptop.page.getByLabel("Device name").fill("a\u200bb");
    await laptop.page.getByRole("button", { name: "Save" }).click();
    await laptop.page.getByRole("alert").filter({ hasText: "invisible" }).waitFor();
    await laptop.page.getByRole("button", { name: "Cancel" }).click();

    // Apps appear as themselves, live: an iPhone app that names its device, an Android app.
    const app = (userAgent: string, device: object) => request(server.graphqlUrl, LoginDocument, { email, password: PASSWORD, device }, { headers: { "user-agent": userAgent } });
    dataOf(await app("Acme/3.2.1 CFNetwork/1490.0.4 Darwin/23.2.0", { name: "Alice's iPhone", appName: "Acme", appVersion: "3.2.1" }));
    dataOf(await app("okhttp/4.12.0", { appName: "Acme", appVersion: "3.2.1" }));
    await sessionRows(laptop.page).filter({ hasText: "Alice's iPhone" }).waitFor();
    await sessionRows(laptop.page).filter({ hasText: "Acme 3.2.1 · Android" }).waitFor();
    await laptop.page.screenshot({ path: path.join(RESULTS, "sessions-apps.png"), fullPage: true });
    expectClean(laptop);
  });

  test("tabs of one browser sign in and out together", async () => {
    const email = uniqueEmail();
    await signUp(server, email);
    const tab1 = await device(USER_AGENTS.macChrome);
    const tab2 = await tab1.context.newPage();
    await tab2.goto(`${server.url}/`);
    await tab2.getByRole("button", { name: "Log in" }).waitFor();
    await logIn(tab1.page, email);
    // The other tab was on the sign-in form: it takes the pair over and shows the sessions too.
    await tab2.getByRole("list", { name: "Active sessions" }).waitFor({ timeout: 5000 });
    await expect(sessionRows(tab2).count()).resolves.toBe(2);
    await tab2.getByRole("button", { name: "Log out" }).click();
    await tab1.page.getByRole("button", { name: "Log in" }).waitFor({ timeout: 5000 });
    expectClean(tab1);
  });

  test("two tabs of one device refreshing at the same moment both stay signed in", async () => {
    const email = uniqueEmail();
    await signUp(server, email);
    const tab1 = await device(USER_AGENTS.macChrome);
    await logIn(tab1.page, email);
    const tab2 = await tab1.context.newPage();
    // Each refresh is slowed, so the two tabs' refreshes overlap. The package takes a Web Lock, so
    // the second waits for the first; localStorage may still show it the old token (it syncs
    // between a browser's processes later), and then the server's grace window answers it with
    // the pair the first received, which is what the window is for.
    const refreshes: string[] = [];
    await tab1.context.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (!body.includes("refreshSession")) return route.fallback();
      refreshes.push((JSON.parse(body) as { variables: { refreshToken: string } }).variables.refreshToken);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return route.fallback();
    });
    await Promise.all([tab1.page.reload(), tab2.goto(`${server.url}/`)]);
    for (const page of [tab1.page, tab2]) await page.getByRole("list", { name: "Active sessions" }).waitFor();
    await tab1.context.unroute("**/graphql");
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    // Still one session, still signed in everywhere after another reload.
    await Promise.all([tab1.page.reload(), tab2.reload()]);
    for (const page of [tab1.page, tab2]) {
      await page.getByRole("list", { name: "Active sessions" }).waitFor();
      await expect(sessionRows(page).count()).resolves.toBe(2);
    }
    expectClean(tab1);
  });

  test("works by keyboard alone: log in, then end the other sessions through the confirmation", async () => {
    const email = uniqueEmail();
    await signUp(server, email);
    const other = await device(USER_AGENTS.windowsEdge);
    await logIn(other.page, email);
    const d = await device(USER_AGENTS.macChrome);
    const { page } = d;
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent ?? document.activeElement?.tagName);
    /** Tabs forward until the focused element is the named button (or gives up). */
    async function tabTo(name: string): Promise<void> {
      for (let i = 0; i < 30 && (await focused()) !== name; i++) await page.keyboard.press("Tab");
      expect(await focused()).toBe(name);
    }

    await page.getByLabel("Email").waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    // Enter submits with the form's first button: "Log in".
    await page.keyboard.press("Enter");
    await sessionRows(page).nth(2).waitFor();

    await tabTo("Terminate sessions");
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    await expect(sessionRows(page).count()).resolves.toBe(3);
    await tabTo("Terminate sessions");
    await page.keyboard.press("Enter");
    await tabTo("Confirm");
    await page.keyboard.press("Enter");
    await signedOutHeading(other.page).waitFor();
    // The other device is told before this page has its answer (endings are pushed, then answered).
    await sessionRows(page).nth(1).waitFor({ state: "detached" });
    await expect(sessionRows(page).count()).resolves.toBe(1);
    expectClean(other, d);
  });

  test("no serious accessibility violation on the login, sessions, activity and admin pages; screenshots at phone and desktop widths", async () => {
    const email = uniqueEmail();
    await signUp(server, email);
    const other = await device(USER_AGENTS.windowsEdge);
    await logIn(other.page, email);
    const d = await device(USER_AGENTS.macChrome);

    const check = async (name: string) => {
      const { violations } = await new AxeBuilder({ page: d.page }).analyze();
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
      for (const width of [375, 1280]) {
        await d.page.setViewportSize({ width, height: 900 });
        await d.page.screenshot({ path: path.join(RESULTS, `${name}-${width}.png`), fullPage: true });
      }
      await d.page.setViewportSize({ width: 1280, height: 900 });
    };

    await d.page.getByRole("button", { name: "Log in" }).waitFor();
    await check("login");
    await logIn(d.page, email);
    await sessionRows(d.page).nth(1).waitFor();
    await check("sessions");
    await d.page.getByRole("list", { name: "Recent activity" }).getByRole("listitem").first().waitFor();
    await d.page.getByRole("heading", { name: "Recent activity" }).scrollIntoViewIfNeeded();
    await check("activity");

    await d.page.goto(`${server.url}/admin`);
    await d.page.getByRole("heading", { name: "Administrators only" }).waitFor();
    await check("admin-refused");
    const admin = await adminLookingAt(email);
    await admin.page.getByRole("list", { name: "Recent activity" }).getByRole("listitem").first().waitFor();
    const { violations } = await new AxeBuilder({ page: admin.page }).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
    for (const width of [375, 1280]) {
      await admin.page.setViewportSize({ width, height: 900 });
      await admin.page.screenshot({ path: path.join(RESULTS, `admin-${width}.png`), fullPage: true });
    }
    expectClean(other, d, admin);
    // Five pages checked by axe and photographed twice each.
  }, 90_000);
});
