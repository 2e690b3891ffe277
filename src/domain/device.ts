import type { ClientKind } from "./client-kind";

/** What a session's user agent (and its app, through DeviceInput) says of the device. */
export interface Device {
  /** The OS family users recognise: Macintosh, Windows, Linux, iOS, Android, Chrome OS, another OS name, or Unknown. */
  deviceType: string;
  os: string | null;
  /** The browser's name, or the app's. */
  browser: string;
  browserVersion: string | null;
  client: ClientKind;
}
