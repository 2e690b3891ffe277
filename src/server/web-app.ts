import fs from "node:fs";
import path from "node:path";
import express, { Router } from "express";
import { WEB_APP_CONTENT_SECURITY_POLICY } from "../content-security-policy";

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
 * hashed assets under /assets and its icon, all served from the build output, so it needs no internet.
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
  // Browsers ask for /favicon.ico by themselves, so the page names no icon; Vite copies it from web/public.
  const iconFile = path.join(dir, "favicon.ico");
  router.get("/favicon.ico", (_req, res) => {
    if (!fs.existsSync(iconFile)) {
      res.status(404).type("text").send("Not found");
      return;
    }
    res.set("Cache-Control", "public, max-age=86400");
    res.sendFile(iconFile);
  });
  // Names carry a content hash: a changed file is a new name, so they may be kept for good.
  router.use("/assets", express.static(path.join(dir, "assets"), { immutable: true, maxAge: "365d", index: false }));
  router.use("/assets", (_req, res) => {
    res.status(404).type("text").send("Not found");
  });
  return router;
}
