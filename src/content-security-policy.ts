/**
 * Every Content-Security-Policy the service sends, written once: the API's (set by helmet in
 * server/http-security.ts), the Sessions page's (server/web-app.ts) and the GraphiQL IDE's
 * (ide/ide-router.ts). The pages load only this service's own files and talk only to this origin
 * (CSP 3's 'self' covers ws: and wss: on the same host); nothing inline, nothing from elsewhere,
 * and nothing may frame any of it. Imports nothing, so the web build can read it too.
 */

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/** The JSON API and everything that is not a page: no content of its own, never framed. */
export const API_CSP_DIRECTIVES: CspDirectives = {
  "default-src": ["'none'"],
  "frame-ancestors": ["'none'"],
};

/** The Sessions page (web/, built by Vite): its own scripts, styles, images and connections. */
export const WEB_APP_CSP_DIRECTIVES: CspDirectives = {
  "default-src": ["'none'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "connect-src": ["'self'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
  "frame-ancestors": ["'none'"],
};

/** The GraphiQL IDE: the page's policy, plus the fonts GraphiQL's CSS carries as data: URLs. */
export const IDE_CSP_DIRECTIVES: CspDirectives = {
  ...WEB_APP_CSP_DIRECTIVES,
  "font-src": ["'self'", "data:"],
};

/** The header value: `name value…` directives joined by "; ". */
export function cspHeader(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}

export const WEB_APP_CONTENT_SECURITY_POLICY = cspHeader(WEB_APP_CSP_DIRECTIVES);
export const IDE_CONTENT_SECURITY_POLICY = cspHeader(IDE_CSP_DIRECTIVES);
