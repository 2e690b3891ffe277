import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

// The layers of ARCHITECTURE.md, checked on every `npm test` so that a wrong import fails the build.
describe("the architecture", () => {
  test("dependencies point one way (.dependency-cruiser.cjs)", async () => {
    const depcruise = path.join(ROOT, "node_modules", ".bin", "depcruise");
    const run = promisify(execFile)(depcruise, ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { cwd: ROOT });
    // On a violation depcruise exits non-zero; its report is the failure message.
    await expect(run.then(() => "no violations", (error: { stdout: string }) => error.stdout)).resolves.toBe("no violations");
  });

  test("only src/config.ts reads the environment", () => {
    const readers = sourceFiles(path.join(ROOT, "src"))
      .filter((file) => /process\.env\b/.test(fs.readFileSync(file, "utf8")))
      .map((file) => path.relative(ROOT, file));
    expect(readers).toEqual(["src/config.ts"]);
  });
});
