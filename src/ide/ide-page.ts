import type { IdeAsset } from "./ide-assets";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

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
