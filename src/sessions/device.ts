import { UAParser } from "ua-parser-js";
import type { Device } from "../domain/device";
import type { DeviceInput } from "../domain/device-input";
import { nativeAgent } from "./native-agents";

// Desktop apps built on a browser engine say so in their user agent.
const APP_SHELLS = new Set(["Electron"]);

/** The stored user agent is cut to this; the contract promises at most 1024 characters. */
export const MAX_USER_AGENT_LENGTH = 1024;

// ua-parser-js reads no further than 500 characters itself; cutting first bounds the regex work.
const PARSE_LENGTH = 500;

const LINUX_DISTRIBUTIONS = new Set([
  "Arch", "CentOS", "Debian", "Deepin", "elementary OS", "Fedora", "Gentoo", "GNU", "Kubuntu",
  "Linpus", "Linspire", "Mageia", "Mandriva", "Manjaro", "Mint", "PCLinuxOS", "RedHat", "Red Hat",
  "Slackware", "SUSE", "openSUSE", "Ubuntu", "VectorLinux", "Zenwalk", "Linux",
  // Also names ua-parser-js reports as written in the user agent (any case), e.g. "Raspbian Chromium".
  "Lubuntu", "Raspbian", "Sabayon", "Xubuntu",
].map((name) => name.toLowerCase()));

/** The family users recognise, as the contract names them. */
export function deviceTypeOf(osName: string | undefined): string {
  if (!osName) return "Unknown";
  if (osName === "Mac OS" || osName === "macOS") return "Macintosh";
  if (LINUX_DISTRIBUTIONS.has(osName.toLowerCase())) return "Linux";
  if (osName === "Chromium OS") return "Chrome OS";
  return osName;
}

export function truncateUserAgent(userAgent: string | undefined): string {
  return (userAgent ?? "").slice(0, MAX_USER_AGENT_LENGTH);
}

/** The device as its user agent describes it, and as the app says it is: what the app says wins. */
export function describeDevice(userAgent: string, input: DeviceInput = {}): Device {
  const device = parseDevice(userAgent);
  if (!input.appName) return device;
  return { ...device, browser: input.appName, browserVersion: input.appVersion ?? null, client: "APP" };
}

export function parseDevice(userAgent: string): Device {
  const cut = userAgent.slice(0, PARSE_LENGTH);
  const native = nativeAgent(cut);
  if (native) return native;
  const { os, browser } = new UAParser(cut).getResult();
  const osLabel = [os.name, os.version].filter(Boolean).join(" ");
  const device = { deviceType: deviceTypeOf(os.name), os: osLabel || null };
  if (browser.name) return { ...device, browser: browser.name, browserVersion: browser.version ?? null, client: APP_SHELLS.has(browser.name) ? "APP" : "BROWSER" };
  // An OS but no browser, as "MyApp/1.2 (iPhone; iOS 17.0; Scale/3.00)": an app, named by its first product.
  const product = os.name ? APP_PRODUCT.exec(cut) : null;
  if (product) return { ...device, browser: product[1], browserVersion: product[2], client: "APP" };
  return { ...device, browser: "Unknown", browserVersion: null, client: "OTHER" };
}

const APP_PRODUCT = /^(?!Mozilla\/)([A-Za-z][\w.-]{0,63})\/([\w.-]{1,32})/;
