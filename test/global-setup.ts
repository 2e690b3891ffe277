import { createEmbeddedTemplate, rememberTemplate } from "./helpers/embedded-template";

/** Once per run: a migrated embedded database for every test server to copy (none needed on PostgreSQL). */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  rememberTemplate(await createEmbeddedTemplate());
}
