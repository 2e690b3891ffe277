import fs from "node:fs";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { CHROMIUM, offlineContext, type Watched } from "../../support/chromium";

export { CHROMIUM, launchChromium, offlineContext, type Watched } from "../../support/chromium";

/** The browser suites need Debian's Chromium: CI must have it (.ci/run installs it), a dev machine may not. */
export function describeWithChromium(what: string): jest.Describe {
  if (fs.existsSync(CHROMIUM)) return describe;
  if (process.env.CI) {
    test(`Chromium is installed for the ${what} tests`, () => {
      throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
    });
  } else {
    console.warn(`Skipping the ${what} browser tests: ${CHROMIUM} is missing (apt-get install chromium).`);
  }
  return describe.skip;
}

/** One page in a fresh offline context. */
export async function offlinePage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page } & Watched> {
  const { context, offsite, problems } = await offlineContext(browser, options);
  const page = await context.newPage();
  return { page, offsite, problems };
}
