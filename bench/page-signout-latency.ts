import "reflect-metadata";
import { performance } from "node:perf_hooks";
import { PASSWORD, signUp, uniqueEmail, USER_AGENTS } from "../test/helpers/accounts";
import { launchChromium, offlineContext } from "../test/helpers/browser";
import { startTestServer } from "../test/helpers/test-server";
import { median, ms, percentile } from "./stats";

// From "Terminate session" clicked on one device's Sessions page to the signed-out screen on the
// device it ended, both real Chromium pages. Playwright's own round trips are included, so this
// is an upper bound on what a person would see.
const ROUNDS = Number(process.env.ROUNDS ?? 20);

async function main(): Promise<void> {
  const server = await startTestServer({ REDIS_URL: process.env.REDIS_URL });
  const browser = await launchChromium();
  const email = uniqueEmail("bench");
  await signUp(server, email);
  const times: number[] = [];
  try {
    const keeper = await offlineContext(browser, { userAgent: USER_AGENTS.macChrome });
    const first = await keeper.context.newPage();
    await first.goto(`${server.url}/`);
    await logIn(first, email);
    const victim = await offlineContext(browser, { userAgent: USER_AGENTS.windowsEdge });
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
