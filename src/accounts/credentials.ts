import { isEmail } from "class-validator";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password";
import { InvalidInput } from "../domain/errors";

const MAX_EMAIL_LENGTH = 254;

/** Emails are compared trimmed and lower-cased, so "A@X.com " and "a@x.com" are one account. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !isEmail(email)) throw new InvalidInput("Invalid email address.", "email");
  return email;
}

/** A password for a new credential: long enough to matter, short enough not to be a CPU weapon. */
export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput(`Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  checkPasswordLength(password);
}

export function checkPasswordLength(password: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) throw new InvalidInput(`Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
}
