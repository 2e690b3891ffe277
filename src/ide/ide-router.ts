import { Router, type Response } from "express";
import { IDE_CONTENT_SECURITY_POLICY } from "../content-security-policy";
import { ASSET_PREFIX, ideAssets, type IdeAsset } from "./ide-assets";
import { idePage } from "./ide-page";

function sendAsset(res: Response, asset: IdeAsset): void {
  res.type(asset.type).set("X-Content-Type-Options", "nosniff");
  if ("file" in asset) res.sendFile(asset.file);
  else res.send(asset.text);
}

/**
 * The admin IDE (GraphiQL) on the GraphQL path: a browser asking for HTML gets the page,
 * everything else falls through to Apollo. Its assets are served from installed packages
 * under `<graphqlPath>/ide/`, so it works on a machine with no internet.
 */
export function ideRouter(graphqlPath: string): Router {
  const assets = ideAssets();
  const byName = new Map(assets.map((asset) => [asset.name, asset]));
  const page = idePage(graphqlPath, `${graphqlPath}${ASSET_PREFIX}`, assets);
  const router = Router();

  router.get("/", (req, res, next) => {
    // A browser navigation prefers text/html; JSON clients, curl's */* and no Accept go to Apollo.
    if (req.accepts(["application/json", "text/html"]) !== "text/html") return next();
    res.set({
      "Content-Security-Policy": IDE_CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "X-Frame-Options": "DENY",
    });
    res.type("html").send(page);
  });
  router.get(`${ASSET_PREFIX}/:name`, (req, res) => {
    const asset = byName.get(req.params.name);
    if (!asset) {
      res.status(404).type("text").send("Not found");
      return;
    }
    sendAsset(res, asset);
  });
  return router;
}
