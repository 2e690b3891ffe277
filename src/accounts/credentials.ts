import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password";
import { InvalidInput } from "../domain/errors";

export { normalizeEmail } from "./email-address";

/** A password for a new credential: long enough to matter, short enough not to be a CPU weapon. */
export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput(`Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  checkPasswordLength(password);
}

export function checkPasswordLength(password: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) throw new InvalidInput(`Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
}
