import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { LogoutDocument } from "../../web/src/gql/graphql";
import { kindOf, SetReceiver } from "../../support/set-receiver";
import { PASSWORD, signUp, uniqueEmail, USER_AGENTS } from "../helpers/accounts";
import { describeWithChromium, launchChromium, offlineContext, type Watched } from "../helpers/browser";
import { dataOf, request } from "../helpers/graphql-client";
import { ALL_CAEP, PUSH, receiverToken, ssfCall } from "../helpers/ssf";
import { useTestServer } from "../helpers/test-server";

// What the page.evaluate callbacks use of the page's globals (the tests compile without DOM types).
declare const document: { activeElement: { textContent: string | null } | null };
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
declare const window: { getSelection(): { toString(): string } | null };

const RESULTS = path.join(__dirname, "..", "..", "test-results");

interface Device extends Watched {
  context: BrowserContext;
  page: Page;
}

describeWithChromium("Connected services")("the Connected services section of /admin", () => {
  const adminEmail = uniqueEmail("admin");
  // Push endpoints on 127.0.0.1 are plain http: the SetReceiver below.
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD, SIGNALS_INSECURE_HOSTS: "127.0.0.1" });
  let browser: Browser;
  const opened: Device[] = [];
  const receivers: SetReceiver[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    fs.mkdirSync(RESULTS, { recursive: true });
  });
  afterEach(async () => {
    for (const device of opened.splice(0)) await device.context.close();
    for (const sets of receivers.splice(0)) await sets.stop();
  });
  afterAll(() => browser?.close());

  /** An administrator signed in at /admin, the section on screen. */
  async function adminPage(): Promise<Device> {
    const { context, offsite, problems } = await offlineContext(browser, { userAgent: USER_AGENTS.windowsEdge, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByLabel("Email").fill(adminEmail);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Connected services" }).waitFor();
    const device = { context, page, offsite, problems };
    opened.push(device);
    return device;
  }

  const section = (page: Page) => page.getByRole("region", { name: "Connected services" });
  const serviceRow = (page: Page, name: string) => section(page).getByRole("list", { name: "Connected services" }).getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });

  /** A definition list read as its terms and their descriptions. */
  async function factsOf(list: Locator): Promise<Record<string, string>> {
    const [terms, descriptions] = await Promise.all([list.locator("dt").allTextContents(), list.locator("dd").allTextContents()]);
    return Object.fromEntries(terms.map((term, i) => [term, descriptions[i]]));
  }

  /** No serious axe violation in the section; photographed at phone and desktop widths. */
  async function expectAccessible(page: Page, name: string): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).include('section[aria-labelledby="services-title"]').analyze();
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await section(page).screenshot({ path: path.join(RESULTS, `${name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  function expectClean(...devices: Device[]): void {
    for (const d of devices) {
      expect(d.offsite).toEqual([]);
      expect(d.problems).toEqual([]);
    }
  }

  test("an administrator registers a service, which gets its secret once; its push stream's deliveries show after Reload; deleting it ends its credentials", async () => {
    const name = `Gateway ${randomUUID().slice(0, 8)}`;
    const admin = await adminPage();
    const { page } = admin;

    await section(page).getByLabel("Service name").fill(name);
    await section(page).getByRole("button", { name: "Register" }).click();
    const box = section(page).getByRole("region", { name: `Credentials for ${name}` });
    await box.waitFor();
    await box.getByText("it will not be shown again").waitFor();
    // Focus goes to the box, so a screen reader's user hears it appear.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`Credentials for ${name}`);
    const credentials = await factsOf(box);
    const clientId = (await box.locator("dd code").nth(0).textContent())!;
    const clientSecret = (await box.locator("dd code").nth(1).textContent())!;
    expect(Object.keys(credentials)).toEqual(["Client ID", "Client secret"]);
    expect(clientId).toBeTruthy();
    expect(clientSecret.length).toBeGreaterThanOrEqual(32);
    await expectAccessible(page, "connected-services-created");

    // Copying: where the browser refuses, the secret is selected for the reader and the page goes on;
    // where it may, the text is on the clipboard.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new Error("NotAllowedError: Write permission denied."));
    });
    await box.getByRole("button", { name: "Copy client secret" }).click();
    await box.getByRole("status").filter({ hasText: "would not copy it, so it is selected" }).waitFor();
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(clientSecret);
    await page.evaluate(() => delete (navigator.clipboard as { writeText?: unknown }).writeText);
    await admin.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await box.getByRole("button", { name: "Copy client ID" }).click();
    await box.getByRole("status").filter({ hasText: "Copied." }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);

    // Listed at once, with no stream yet, and the client ID it will use.
    const row = serviceRow(page, name);
    await row.getByText("No stream yet").waitFor();
    expect((await factsOf(row.locator("dl").first()))["Client ID"]).toBe(clientId);
    await box.getByRole("button", { name: "I have copied the secret" }).click();
    await box.waitFor({ state: "detached" });

    // The service, with what it was given: a token, then a push stream to its own endpoint.
    const token = await receiverToken(server, { id: "", clientId, clientSecret });
    const sets = await SetReceiver.start();
    receivers.push(sets);
    const created = await ssfCall(server, "POST", "/ssf/streams", { token, body: { delivery: { method: PUSH, endpoint_url: sets.url }, events_requested: ALL_CAEP } });
    expect(created.status).toBe(201);
    const issuer = (await ssfCall(server, "GET", "/.well-known/ssf-configuration")).json.issuer;
    sets.verifyWith({ jwksUri: `${server.url.replace("localhost", "127.0.0.1")}/.well-known/jwks.json`, issuer, audience: clientId });

    // A user logs out: the service is told.
    const user = await signUp(server, uniqueEmail());
    dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: user.accessToken }));
    await sets.next((set) => kindOf(set) === "session-revoked" && (set.claims.sub_id as any)?.session?.id === user.session.id);
    expect(sets.rejected).toEqual([]);

    // Reload reads it again: the stream, its delivery, nothing left to send. (Other sign-ins on
    // this database may be on their way to it too, so Reload until the queue is seen empty.)
    const stream = section(page).getByRole("list", { name: `Streams of ${name}` }).getByRole("listitem");
    let facts: Record<string, string> = {};
    for (let tries = 0; tries < 20 && !(facts.Pending === "0" && facts["Last delivery"] !== "never"); tries++) {
      await section(page).getByRole("button", { name: "Reload" }).click();
      await stream.first().waitFor();
      facts = await factsOf(stream.first());
      if (facts.Pending !== "0") await page.waitForTimeout(250);
    }
    expect(await stream.count()).toBe(1);
    expect(facts).toMatchObject({ Status: "Enabled", Delivery: "Push", Endpoint: sets.url, Pending: "0", "Last error": "none" });
    expect(facts["Last delivery"]).toBe("just now");
    expect(facts.Events).toContain("session-revoked");
    await expectAccessible(page, "connected-services");

    // The secret was shown once: not after the box closed, nor on a fresh load of the page.
    expect(await page.content()).not.toContain(clientSecret);
    await page.reload();
    await serviceRow(page, name).waitFor();
    expect(await page.content()).not.toContain(clientSecret);

    // Deleted through the confirmation: gone from the list, and its credentials no longer work.
    await serviceRow(page, name).getByRole("button", { name: `Delete ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Delete ${name}?` });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await serviceRow(page, name).count()).toBe(1);
    await serviceRow(page, name).getByRole("button", { name: `Delete ${name}` }).click();
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await section(page).getByRole("status").filter({ hasText: `${name} was deleted` }).waitFor();
    await serviceRow(page, name).waitFor({ state: "detached" });
    const refused = await ssfCall(server, "POST", "/oauth/token", {
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(refused.status).toBe(401);
    expectClean(admin);
  });

  test("with no services it says what they are and where to read more; a refused name and a failed read are said in words", async () => {
    const admin = await adminPage();
    const { page } = admin;
    // The database may be shared with other tests' services: this page is shown none.
    await admin.context.route("**/graphql", (route) =>
      (route.request().postData() ?? "").includes("query ConnectedServices") ? route.fulfill({ json: { data: { signalReceivers: [] } } }) : route.fallback(),
    );
    await section(page).getByRole("button", { name: "Reload" }).click();
    const empty = section(page).getByText("No connected services yet");
    await empty.waitFor();
    const words = (await section(page).textContent()) ?? "";
    for (const said of ["security events", "session revoked", "credential changed", "session established", "OpenID Shared Signals", "docs/signals.md"]) expect(words).toContain(said);
    await expectAccessible(page, "connected-services-empty");

    // A name of spaces only passes the browser's `required`, and the server refuses it.
    await section(page).getByLabel("Service name").fill("   ");
    await section(page).getByRole("button", { name: "Register" }).click();
    await section(page).getByRole("alert").filter({ hasText: "1 to 100 characters" }).waitFor();
    expect(await section(page).getByRole("region", { name: /Credentials for/ }).count()).toBe(0);

    // A read the server refuses: its sentence, through the page's one error display.
    await admin.context.unroute("**/graphql");
    await admin.context.route("**/graphql", (route) =>
      (route.request().postData() ?? "").includes("query ConnectedServices")
        ? route.fulfill({ json: { data: null, errors: [{ message: "Only administrators may do this.", extensions: { code: "FORBIDDEN" } }] } })
        : route.fallback(),
    );
    await section(page).getByRole("button", { name: "Reload" }).click();
    await section(page).getByRole("alert").filter({ hasText: "Only administrators may do this." }).waitFor();
    expectClean(admin);
  });
});
