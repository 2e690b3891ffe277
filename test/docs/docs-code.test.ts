import { compileSnippets } from "./doc-snippets";

// The code in the guides is code: every ```ts and ```tsx block of these pages is compiled, the
// app guides' against the client package as an app would import it, docs/signals.md's (a
// receiver's server) against jose and Node's own modules.
const GUIDES: [guide: string, types: string[]][] = [
  ["docs/spa.md", []],
  ["docs/mobile.md", []],
  ["client/README.md", []],
  ["docs/signals.md", ["node"]],
];

test.each(GUIDES)("the code in %s compiles", (guide, types) => {
  expect(compileSnippets(guide, types).length).toBeGreaterThan(0);
}, 60_000);
