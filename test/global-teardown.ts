import { removeTemplate } from "./helpers/embedded-template";

export default async function globalTeardown(): Promise<void> {
  removeTemplate();
}
