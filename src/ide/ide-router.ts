import { Router } from "express";

/** Placeholder until the IDE lands: answers browsers on the GraphQL path. */
export function ideRouter(_graphqlPath: string): Router {
  const router = Router();
  router.get("/", (req, res, next) => {
    if (!req.accepts("html") || req.accepts(["json", "html"]) === "json") return next();
    res.type("html").send("<!doctype html><title>GraphQL</title>");
  });
  return router;
}
