import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// The code in the guides is code: every ```ts and ```tsx block of a page is written to a file of
// its own (```ts title=name.ts names it, so another block can import it), then compiled, and
// some of them run (test/docs/signals-example.test.ts).
export const ROOT = path.resolve(__dirname, "..", "..");

export interface Snippet {
  file: string;
  code: string;
}

export function snippets(guide: string): Snippet[] {
  const text = fs.readFileSync(path.join(ROOT, guide), "utf8");
  const found: Snippet[] = [];
  for (const match of text.matchAll(/^```(ts|tsx)(?: title=(\S+))?\n([\s\S]*?)^```$/gm)) {
    const [, lang, title, code] = match;
    found.push({ file: title ?? `block-${found.length + 1}.${lang}`, code });
  }
  return found;
}

/** Writes a guide's blocks, as files, to a fresh folder of their own under test-results/`under`; that folder. */
export function writeSnippets(guide: string, under: string): { dir: string; blocks: Snippet[] } {
  const blocks = snippets(guide);
  const dir = path.join(ROOT, "test-results", under, guide.replace(/[/.]/g, "-"));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const { file, code } of blocks) fs.writeFileSync(path.join(dir, file), code);
  return { dir, blocks };
}

/**
 * Compiles a guide's blocks strictly, as an app would: against the client package, and against
 * Node's own modules only where `types` names them (a server-side guide).
 */
export function compileSnippets(guide: string, types: string[] = []): Snippet[] {
  const { dir, blocks } = writeSnippets(guide, "doc-snippets");
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", lib: ["ES2022", "DOM", "DOM.Iterable"], module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", strict: true, noEmit: true, skipLibCheck: true, isolatedModules: true, types },
      files: [...blocks.map((b) => b.file), path.relative(dir, path.join(ROOT, "test", "docs", "platform.d.ts"))],
    }),
  );
  try {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8" });
  } catch (error) {
    throw new Error(`${guide} does not compile:\n${(error as { stdout?: string }).stdout ?? error}`);
  }
  return blocks;
}
