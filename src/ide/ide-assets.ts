import path from "node:path";
import { IDE_SCRIPT, IDE_STYLE } from "./ide-script";

/** Where the IDE's files live below the GraphQL path; the page names them in this order. */
export const ASSET_PREFIX = "/ide";

export type IdeAsset = { name: string; type: "js" | "css" } & ({ file: string } | { text: string });

/** A file of an installed package, found through its package.json (every one of them exports it). */
function packageFile(packageName: string, relative: string): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), relative);
}

/**
 * Everything the page loads, served by this service so the IDE works with no internet.
 * GraphiQL 3 is the last major with a UMD build that runs without a bundler; React 18 is
 * the last with UMD builds. Resolved at start-up, so a missing package fails fast.
 */
export function ideAssets(): IdeAsset[] {
  return [
    { name: "graphiql.css", type: "css", file: packageFile("graphiql", "graphiql.min.css") },
    { name: "ide.css", type: "css", text: IDE_STYLE },
    { name: "react.js", type: "js", file: packageFile("react", "umd/react.production.min.js") },
    { name: "react-dom.js", type: "js", file: packageFile("react-dom", "umd/react-dom.production.min.js") },
    { name: "graphiql.js", type: "js", file: packageFile("graphiql", "graphiql.min.js") },
    { name: "graphql-ws.js", type: "js", file: packageFile("graphql-ws", "umd/graphql-ws.min.js") },
    { name: "ide.js", type: "js", text: IDE_SCRIPT },
  ];
}
