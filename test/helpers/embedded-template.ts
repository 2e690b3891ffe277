import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrations } from "../../migrations";
import { startDatabase } from "../../src/db/database";

/**
 * A migrated embedded database made once per test run (jest's globalSetup) and copied into each
 * test server's data folder: opening a copy takes a fraction of a second, while creating and
 * migrating a fresh PGlite takes seconds. Built by the service's own start-up code, so it is
 * exactly what a first `npm start` would leave behind.
 */
const TEMPLATE_VARIABLE = "SESSION_TEST_PGLITE_TEMPLATE";

export async function createEmbeddedTemplate(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "session-service-template-"));
  const database = await startDatabase({ dataDir, migrations });
  await database.stop();
  return path.join(dataDir, "pglite");
}

export function rememberTemplate(dir: string): void {
  process.env[TEMPLATE_VARIABLE] = dir;
}

/** Copies the template into `dataDir` (as its pglite/ folder); without a template, the server makes its own. */
export function seedEmbeddedDatabase(dataDir: string): void {
  const template = process.env[TEMPLATE_VARIABLE];
  if (!template || process.env.DATABASE_URL) return;
  const target = path.join(dataDir, "pglite");
  if (!fs.existsSync(target)) fs.cpSync(template, target, { recursive: true });
}

export function removeTemplate(): void {
  const template = process.env[TEMPLATE_VARIABLE];
  if (template) fs.rmSync(path.dirname(template), { recursive: true, force: true });
}
