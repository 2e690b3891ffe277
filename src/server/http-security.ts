import cors from "cors";
import type { RequestHandler } from "express";
import helmet from "helmet";
import { API_CSP_DIRECTIVES } from "../content-security-policy";

/**
 * Security headers on every response. The JSON API needs no content of its own, so its CSP
 * forbids everything; pages (the Sessions page, the IDE) set their own
 * (all three in src/content-security-policy.ts). HSTS only when clients come over HTTPS:
 * sent over plain HTTP on a development machine it would pin localhost to HTTPS.
 */
export function securityHeaders(hsts: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Browser SPAs on allowed origins read responses through CORS; nothing else may embed them.
    crossOriginResourcePolicy: { policy: "same-site" },
  });
}

/**
 * CORS for SPAs on the configured origins. Tokens travel in the Authorization header, never in
 * cookies, so no credentials mode. Same-origin requests carry no CORS at all and always work.
 */
export function corsFor(allowedOrigins: string[]): RequestHandler {
  return cors({
    origin: allowedOrigins.length > 0 ? allowedOrigins : false,
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: ["authorization", "content-type", "apollo-require-preflight", "x-apollo-operation-name"],
    exposedHeaders: ["x-request-id"],
    credentials: false,
    maxAge: 600,
  });
}
