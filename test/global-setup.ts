import { buildEmbeddedTemplate } from "./helpers/embedded-template";

/**
 * Once per run: a migrated embedded database for every test server to copy (none needed on
 * PostgreSQL). Not awaited: it is built while the workers start; globalTeardown waits for it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  (globalThis as { templateBuilt?: Promise<void> }).templateBuilt = buildEmbeddedTemplate();
}
