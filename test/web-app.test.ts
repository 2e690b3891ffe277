import { gzipSync } from "node:zlib";
import { WEB_APP_CONTENT_SECURITY_POLICY } from "../src/content-security-policy";
import { sendHttp } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";

// The Sessions page as the service serves it (what a browser does with it: test/browser/).
describe("the Sessions page's files", () => {
  const server = useTestServer();

  test.each(["/", "/admin"])("%s is the page, under a CSP that allows only the service's own scripts, styles and connections", async (pathname) => {
    const response = await sendHttp(`${server.url}${pathname}`);
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/html/);
    const csp = response.headers["content-security-policy"];
    expect(csp).toBe(WEB_APP_CONTENT_SECURITY_POLICY);
    // Whatever else the list says, it says this.
    const directives = Object.fromEntries(String(csp).split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives).toMatchObject({ "default-src": "'none'", "script-src": "'self'", "style-src": "'self'", "connect-src": "'self'", "base-uri": "'none'", "form-action": "'none'", "frame-ancestors": "'none'" });
    expect(csp).not.toMatch(/unsafe-|\*/);
    // Nothing inline, which the CSP would block anyway.
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.text).not.toMatch(/<style|style="/);
  });

  test("every file the page names is the service's own and is served; the script is under 150 KB gzipped", async () => {
    const page = await sendHttp(`${server.url}/`);
    const names = [...page.text.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) {
      const url = new URL(name, server.url);
      expect(url.origin).toBe(server.url);
      expect(url.pathname).toMatch(/^\/assets\/[\w-]+\.(js|css)$/);
      const asset = await sendHttp(url.href, { headers: { "accept-encoding": "identity" } });
      expect({ name, status: asset.status }).toEqual({ name, status: 200 });
      expect(asset.headers["cache-control"]).toMatch(/immutable/);
      if (name.endsWith(".js")) {
        expect(asset.contentType).toMatch(/javascript/);
        expect(gzipSync(asset.text).length).toBeLessThan(150 * 1024);
      }
    }
  });

  test("/favicon.ico is an icon, so a browser's own request for it finds one", async () => {
    const icon = await sendHttp(`${server.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.contentType).toMatch(/^image\//);
  });

  test("an asset that is not there is a plain 404", async () => {
    const missing = await sendHttp(`${server.url}/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe("Not found");
  });
});
