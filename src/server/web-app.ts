import fs from "node:fs";
import path from "node:path";
import express, { Router } from "express";

// The page may load its own scripts and styles and talk to its own origin (HTTP and WebSocket:
// CSP 3's 'self' covers ws: and wss: on the same host); nothing inline, nothing from elsewhere.
export const WEB_APP_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The repository (or installed package) root: where package.json is, above this file. */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Where `npm run build` puts the Sessions page (web/, built by Vite). */
export const WEB_APP_DIR = path.join(packageRoot(__dirname), "dist", "web");

/**
 * The Sessions page at `/` (account) and `/admin` (administration): one single-page app, its
 * hashed assets under /assets, all served from the build output, so it needs no internet.
 */
export function webAppRouter(dir = WEB_APP_DIR): Router {
  const router = Router();
  const indexFile = path.join(dir, "index.html");
  const sendPage: express.RequestHandler = (_req, res) => {
    if (!fs.existsSync(indexFile)) {
      res.status(503).type("text").send("The web page is not built: run `npm run build`.");
      return;
    }
    res.set({
      "Content-Security-Policy": WEB_APP_CONTENT_SECURITY_POLICY,
      "Cache-Control": "no-cache",
      "Referrer-Policy": "no-referrer",
    });
    res.sendFile(indexFile);
  };
  router.get(["/", "/admin"], sendPage);
  // Names carry a content hash: a changed file is a new name, so they may be kept for good.
  router.use("/assets", express.static(path.join(dir, "assets"), { immutable: true, maxAge: "365d", index: false }));
  router.use("/assets", (_req, res) => {
    res.status(404).type("text").send("Not found");
  });
  return router;
}
