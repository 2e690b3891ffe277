import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// The code in the guides is code: every ```ts and ```tsx block of these pages is written to a
// file of its own (```ts title=name.ts names it, so another block can import it) and compiled
// against the client package as an app would import it.
const ROOT = path.resolve(__dirname, "..", "..");
const GUIDES = ["docs/spa.md", "docs/mobile.md", "client/README.md"];
const OUT = path.join(ROOT, "test-results", "doc-snippets");

function snippets(guide: string): { file: string; code: string }[] {
  const text = fs.readFileSync(path.join(ROOT, guide), "utf8");
  const found: { file: string; code: string }[] = [];
  for (const match of text.matchAll(/^```(ts|tsx)(?: title=(\S+))?\n([\s\S]*?)^```$/gm)) {
    const [, lang, title, code] = match;
    found.push({ file: title ?? `block-${found.length + 1}.${lang}`, code });
  }
  return found;
}

test.each(GUIDES)("the code in %s compiles against @session-service/client", (guide) => {
  const blocks = snippets(guide);
  expect(blocks.length).toBeGreaterThan(0);
  const dir = path.join(OUT, guide.replace(/[/.]/g, "-"));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const { file, code } of blocks) fs.writeFileSync(path.join(dir, file), code);
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", lib: ["ES2022", "DOM", "DOM.Iterable"], module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", strict: true, noEmit: true, skipLibCheck: true, isolatedModules: true, types: [] },
      files: [...blocks.map((b) => b.file), path.relative(dir, path.join(ROOT, "test", "docs", "platform.d.ts"))],
    }),
  );
  try {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8" });
  } catch (error) {
    throw new Error(`${guide} does not compile:\n${(error as { stdout?: string }).stdout ?? error}`);
  }
}, 60_000);
