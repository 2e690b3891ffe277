import { timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import type { ServiceMetrics } from "../metrics/service-metrics";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics in Prometheus' text format. On the public port only with `Authorization: Bearer
 * <METRICS_TOKEN>`; on METRICS_PORT (meant to be reachable only from the monitoring network)
 * without. Anything else is a 404, as if there were no metrics at all.
 */
export function metricsEndpoint(metrics: ServiceMetrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    if (token !== undefined && !sameSecret(req.headers.authorization ?? "", `Bearer ${token}`)) {
      res.status(404).type("text").send("Not found");
      return;
    }
    res.set("Cache-Control", "no-store").type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
