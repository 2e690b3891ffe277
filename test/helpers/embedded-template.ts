import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrations } from "../../migrations";
import { startDatabase } from "../../src/db/database";
import { sleep } from "./time";

/**
 * A migrated embedded database made once per test run (jest's globalSetup) and copied into each
 * test server's data folder: opening a copy takes a fraction of a second, while creating and
 * migrating a fresh PGlite takes seconds. Built by the service's own start-up code, so it is
 * exactly what a first `npm start` would leave behind. It is built while jest starts its
 * workers; the first copy waits for it to be ready.
 */
const TEMPLATE_VARIABLE = "SESSION_TEST_PGLITE_TEMPLATE";
const READY = "ready";
const FAILED = "failed";

/** Starts building the template in the background; resolves when it is built (or has failed). */
export function buildEmbeddedTemplate(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "session-service-template-"));
  process.env[TEMPLATE_VARIABLE] = root;
  return (async () => {
    try {
      const database = await startDatabase({ dataDir: path.join(root, "data"), migrations });
      await database.stop();
      fs.writeFileSync(path.join(root, READY), "");
    } catch (error) {
      fs.writeFileSync(path.join(root, FAILED), String((error as Error)?.stack ?? error));
    }
  })();
}

async function templateReady(root: string): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (fs.existsSync(path.join(root, READY))) return path.join(root, "data", "pglite");
    if (fs.existsSync(path.join(root, FAILED))) throw new Error(`the embedded template failed: ${fs.readFileSync(path.join(root, FAILED), "utf8")}`);
    if (Date.now() > deadline) throw new Error("the embedded template was not built in time");
    await sleep(25);
  }
}

/** This run's own folder (the template's), removed when the run ends. */
export function runDirectory(): string {
  const root = process.env[TEMPLATE_VARIABLE];
  if (!root) throw new Error("no test run folder: jest's globalSetup makes it");
  return root;
}

/** Copies the template into `dataDir` (as its pglite/ folder); without a template, the server makes its own. */
export async function seedEmbeddedDatabase(dataDir: string): Promise<void> {
  const root = process.env[TEMPLATE_VARIABLE];
  if (!root || process.env.DATABASE_URL) return;
  const target = path.join(dataDir, "pglite");
  if (!fs.existsSync(target)) fs.cpSync(await templateReady(root), target, { recursive: true });
}

export function removeTemplate(): void {
  const root = process.env[TEMPLATE_VARIABLE];
  if (root) fs.rmSync(root, { recursive: true, force: true });
}
