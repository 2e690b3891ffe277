import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

/** Debian's Chromium: Playwright's own browser download is not reachable here. */
export const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** What went wrong in a page: requests off this machine (refused), errors, CSP violations, failed loads. */
export interface Watched {
  offsite: string[];
  problems: string[];
}

/** Refuses every request off this machine and records those attempts and anything that went wrong. */
export async function offlineContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext } & Watched> {
  const context = await browser.newContext(options);
  const offsite: string[] = [];
  const problems: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (LOCAL_HOSTS.has(new URL(url).hostname)) return route.fallback();
    offsite.push(url);
    return route.abort("internetdisconnected");
  });
  context.on("page", (page) => watchPage(page, problems));
  return { context, offsite, problems };
}

function watchPage(page: Page, problems: string[]): void {
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // CSP violations are reported here too.
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  // A navigation (reload) cancels the requests still in flight: ERR_ABORTED is that, not a fault.
  page.on("requestfailed", (req) => req.failure()?.errorText !== "net::ERR_ABORTED" && problems.push(`failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on("response", (res) => res.status() >= 400 && problems.push(`${res.status()}: ${res.url()}`));
}
