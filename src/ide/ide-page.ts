import type { IdeAsset } from "./ide-assets";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * What the page may load: only this service. Fonts come as data: URLs inside GraphiQL's CSS;
 * 'self' in connect-src covers the same-origin WebSocket too (CSP Level 3).
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The GraphiQL page: no inline script or style, every asset below `assetBase`. */
export function idePage(graphqlPath: string, assetBase: string, assets: IdeAsset[]): string {
  const url = (asset: IdeAsset) => escapeHtml(`${assetBase}/${asset.name}`);
  const styles = assets.filter((a) => a.type === "css").map((a) => `  <link rel="stylesheet" href="${url(a)}">`);
  const scripts = assets.filter((a) => a.type === "js").map((a) => `  <script src="${url(a)}"></script>`);
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '  <meta charset="utf-8">',
    '  <meta name="viewport" content="width=device-width, initial-scale=1">',
    "  <title>Session service · GraphiQL</title>",
    // No favicon request to answer with a 404.
    '  <link rel="icon" href="data:,">',
    ...styles,
    "</head>",
    "<body>",
    `  <div id="graphiql" data-endpoint="${escapeHtml(graphqlPath)}">Loading…</div>`,
    ...scripts,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
