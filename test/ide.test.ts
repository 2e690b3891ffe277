import fs from "node:fs";
import path from "node:path";
import { CloseCode } from "graphql-ws";
import type { Browser, Page } from "playwright-core";
import { TerminateSessionDocument } from "../web/src/gql/graphql";
import { userWithSessions } from "./helpers/accounts";
import { dataOf, request, sendHttp } from "./helpers/graphql-client";
import { describeWithChromium, launchChromium, offlinePage } from "./helpers/browser";
import { useTestServer } from "./helpers/test-server";
import { until } from "./helpers/time";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const REVOKED_SUBSCRIPTION = `subscription Revoked {
  sessionRevoked { sessionId reason revokedAt }
}`;
const SCREENSHOT = path.join(__dirname, "..", "test-results", "ide.png");

/** The asset URLs a page names in src= and href= (data: URLs aside). */
function assetUrls(html: string, base: string): URL[] {
  return [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith("data:")).map((u) => new URL(u, base));
}

/** What GraphiQL hangs on its query editor's element (CodeMirror 5 plus the parsed operation). */
type CodeMirrorElement = { CodeMirror: { getValue(): string; documentAST?: { loc?: { source: { body: string } } } | null } };

/** Replaces a GraphiQL (CodeMirror) editor's text the way a paste would. */
async function fillEditor(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(`${selector} .CodeMirror`).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

async function run(page: Page, operation: string): Promise<void> {
  await fillEditor(page, ".graphiql-query-editor", operation);
  // GraphiQL parses the query 100 ms after an edit; a click before that would run the old operation.
  // A function, not a string: the page's CSP forbids eval.
  await page.locator(".graphiql-query-editor .CodeMirror").evaluate((element: unknown) =>
    new Promise<void>((resolve) => {
      const editor = (element as CodeMirrorElement).CodeMirror;
      let tries = 250;
      const check = () => (editor.documentAST?.loc?.source.body === editor.getValue() || --tries < 0 ? resolve() : setTimeout(check, 20));
      check();
    }),
  );
  await page.locator(".graphiql-execute-button").click();
}

async function resultContaining(page: Page, text: string): Promise<void> {
  const pane = page.locator(".result-window");
  await pane.filter({ hasText: text }).waitFor({ timeout: 10_000 }).catch(async () => {
    throw new Error(`result pane never showed ${JSON.stringify(text)}; it shows: ${await pane.innerText()}`);
  });
}

describe("admin IDE", () => {
  const server = useTestServer();

  describe("over HTTP", () => {
    test("a browser gets the GraphiQL page, and every asset it names comes from the service", async () => {
      const response = await sendHttp(server.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^text\/html/);
      expect(response.headers["content-security-policy"]).toMatch(/default-src 'none'/);
      expect(response.text).toContain('id="graphiql"');
      const urls = assetUrls(response.text, server.graphqlUrl);
      expect(urls.map((u) => path.basename(u.pathname))).toEqual(expect.arrayContaining(["graphiql.js", "graphiql.css", "react.js", "react-dom.js", "graphql-ws.js"]));
      for (const url of urls) {
        expect(url.origin).toBe(new URL(server.graphqlUrl).origin);
        const asset = await sendHttp(url.href);
        expect({ url: url.pathname, status: asset.status }).toEqual({ url: url.pathname, status: 200 });
        expect(asset.contentType).toMatch(/^(text\/css|application\/javascript|text\/javascript)/);
        expect(asset.text.length).toBeGreaterThan(0);
      }
    });

    test("JSON and other non-browser requests still reach GraphQL", async () => {
      for (const accept of ["application/json", "*/*", "application/graphql-response+json, application/json;q=0.9"]) {
        const response = await sendHttp(`${server.graphqlUrl}?query=${encodeURIComponent("{ __typename }")}`, { headers: { accept, "apollo-require-preflight": "true" } });
        expect(response.contentType).not.toMatch(/html/);
        expect(JSON.parse(response.text)).toEqual({ data: { __typename: "Query" } });
      }
    });

    test("an unknown asset is a 404, not a GraphQL request", async () => {
      const response = await sendHttp(`${server.graphqlUrl}/ide/nope.js`);
      expect(response.status).toBe(404);
    });
  });

  describeWithChromium("admin IDE")("in a browser with no internet", () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    test("runs a query with the Authorization header and shows a sessionRevoked push", async () => {
      const { page, offsite, problems } = await offlinePage(browser);
      // The page loads while the accounts are made: both take a while, and neither needs the other.
      const [{ email, sessions: [watched, other] }] = await Promise.all([
        userWithSessions(server, 2),
        page.goto(server.graphqlUrl).then(() => page.locator(".graphiql-container").waitFor()),
      ]);
      await fillEditor(page, ".graphiql-editor-tool .graphiql-editor:not(.hidden)", JSON.stringify({ Authorization: `Bearer ${watched.accessToken}` }, null, 2));
      await run(page, "{ me { email } }");
      await resultContaining(page, email);

      await run(page, REVOKED_SUBSCRIPTION);
      await until(() => server.services.connections.watchersOf(watched.session.id) > 0, 10_000);
      const ended = await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: watched.session.id }, { token: other.accessToken });
      expect(dataOf(ended).terminateSession).toBe(true);
      await resultContaining(page, "TERMINATED");
      await resultContaining(page, String(CloseCode.Forbidden));
      expect(await page.locator(".result-window").textContent()).toContain(watched.session.id);
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });

      // The ended session's token is now refused at connection_init: shown, not retried forever.
      await page.locator(".graphiql-execute-button").click();
      await resultContaining(page, `WebSocket closed ${CloseCode.Forbidden}`);
      expect(offsite).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
