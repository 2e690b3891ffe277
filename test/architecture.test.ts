import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

// The import rules of ARCHITECTURE.md are checked by dependency-cruiser before jest starts
// (`npm test` runs `depcruise` in pretest, beside the build). What it cannot see is checked here.
describe("the architecture", () => {
  test("only src/config.ts reads the environment", () => {
    const readers = sourceFiles(path.join(ROOT, "src"))
      .filter((file) => /process\.env\b/.test(fs.readFileSync(file, "utf8")))
      .map((file) => path.relative(ROOT, file));
    expect(readers).toEqual(["src/config.ts"]);
  });
});
