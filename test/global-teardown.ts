import { removeTemplate } from "./helpers/embedded-template";

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { templateBuilt?: Promise<void> }).templateBuilt;
  removeTemplate();
}
