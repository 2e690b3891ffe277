import "reflect-metadata";
import { performance } from "node:perf_hooks";
import { launchChromium, offlineContext } from "../support/chromium";
import { startInProcessServer } from "../support/in-process-server";
import { PASSWORD, signUp, uniqueEmail } from "./graphql";
import { median, ms, percentile } from "./stats";

// From "Terminate session" clicked on one device's Sessions page to the signed-out screen on the
// device it ended, both real Chromium pages. Playwright's own round trips are included, so this
// is an upper bound on what a person would see.
const ROUNDS = Number(process.env.ROUNDS ?? 20);
// The device that clicks, and the device it signs out: the page lists the latter as "Windows".
const MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const WINDOWS_EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";

async function main(): Promise<void> {
  const server = await startInProcessServer({ REDIS_URL: process.env.REDIS_URL });
  const browser = await launchChromium();
  const email = uniqueEmail("bench");
  await signUp(server.graphqlUrl, email);
  const times: number[] = [];
  try {
    const keeper = await offlineContext(browser, { userAgent: MAC_CHROME });
    const first = await keeper.context.newPage();
    await first.goto(`${server.url}/`);
    await logIn(first, email);
    const victim = await offlineContext(browser, { userAgent: WINDOWS_EDGE });
    const second = await victim.context.newPage();
    await second.goto(`${server.url}/`);
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) await second.getByRole("button", { name: "Log in again" }).click();
      await logIn(second, email);
      const row = first.getByRole("list", { name: "Active sessions" }).getByRole("listitem").filter({ hasText: "Windows" });
      await row.waitFor();
      const clicked = performance.now();
      await row.getByRole("button", { name: "Terminate session" }).click();
      await second.getByRole("heading", { name: /signed out/i }).waitFor();
      times.push(performance.now() - clicked);
      await row.waitFor({ state: "detached" });
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const db = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";
  console.log(`Terminate session -> signed-out screen on the other device, ${ROUNDS} rounds, ${db}, Chromium`);
  console.log(`  median ${ms(median(times))}, p90 ${ms(percentile(times, 90))}, max ${ms(Math.max(...times))}`);
}

async function logIn(page: import("playwright-core").Page, email: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("list", { name: "Active sessions" }).waitFor();
}

void main();
