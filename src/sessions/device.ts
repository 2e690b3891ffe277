import { UAParser } from "ua-parser-js";

export interface Device {
  deviceType: string;
  os: string | null;
  browser: string;
  browserVersion: string | null;
}

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

export function parseDevice(userAgent: string): Device {
  const { os, browser } = new UAParser(userAgent.slice(0, PARSE_LENGTH)).getResult();
  const osLabel = [os.name, os.version].filter(Boolean).join(" ");
  return {
    deviceType: deviceTypeOf(os.name),
    os: osLabel || null,
    browser: browser.name ?? "Unknown",
    browserVersion: browser.version ?? null,
  };
}
