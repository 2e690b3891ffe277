import { InvalidInput } from "./errors";

/** What an app says of the device it runs on (the GraphQL DeviceInput), checked. */
export interface DeviceInput {
  name?: string | null;
  appName?: string | null;
  appVersion?: string | null;
}

export const MAX_DEVICE_NAME_LENGTH = 64;
const MAX_APP_NAME_LENGTH = 64;
const MAX_APP_VERSION_LENGTH = 32;

// Control characters, format characters (zero-width spaces and joiners, bidi overrides), line and
// paragraph separators, private use and unassigned code points: a name is shown to the user as
// the thing to recognise, so it must look like what it is.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

/** The text with every hidden character taken out, for what is read rather than typed (a user agent's app name). */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(new RegExp(HIDDEN.source, "gu"), "");
}

/**
 * A user-given name or an app's field as plain text: trimmed, 1 to `max` characters, nothing
 * hidden. Throws InvalidInput naming `field`.
 */
export function plainText(value: string, field: string, max: number): string {
  const text = value.normalize("NFC").trim();
  if (text.length === 0) throw new InvalidInput(`${field} must not be empty.`, field);
  if ([...text].length > max) throw new InvalidInput(`${field} must be at most ${max} characters.`, field);
  if (HIDDEN.test(text)) throw new InvalidInput(`${field} must not contain control or invisible characters.`, field);
  return text;
}

export function deviceName(value: string, field = "name"): string {
  return plainText(value, field, MAX_DEVICE_NAME_LENGTH);
}

/** The input checked, empty fields dropped; an app version needs its app name. */
export function checkedDeviceInput(input: DeviceInput | null | undefined): DeviceInput {
  if (!input) return {};
  const name = input.name == null ? null : deviceName(input.name, "device.name");
  const appName = input.appName == null ? null : plainText(input.appName, "device.appName", MAX_APP_NAME_LENGTH);
  const appVersion = input.appVersion == null ? null : plainText(input.appVersion, "device.appVersion", MAX_APP_VERSION_LENGTH);
  if (appVersion && !appName) throw new InvalidInput("device.appVersion needs device.appName.", "device.appVersion");
  return { name, appName, appVersion };
}
