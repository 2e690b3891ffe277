import type { Device } from "../domain/device";
import { withoutHiddenCharacters } from "../domain/device-input";

/**
 * The user agents native apps and tools really send, which ua-parser-js (built for browsers)
 * reads as "Unknown": an app is shown as itself on a page that asks users to look for devices
 * they do not recognise. Null for anything else, which is then read as a browser's.
 */
export function nativeAgent(userAgent: string): Device | null {
  for (const recognise of RECOGNISERS) {
    const device = recognise(userAgent);
    if (device) return device;
  }
  return null;
}

// Darwin's major version is iOS's plus 6 and macOS's plus 9 (from Darwin 20: iOS 14, macOS 11).
const IOS_FROM_DARWIN = 6;
const MACOS_FROM_DARWIN = 9;

type Recogniser = (userAgent: string) => Device | null;

const RECOGNISERS: Recogniser[] = [
  // "Acme/3.2.1 CFNetwork/1490.0.4 Darwin/23.2.0": an iOS app; a Mac app adds its architecture.
  (ua) => {
    const m = /^([^/\s]+)\/(\S+) CFNetwork\/\S+ Darwin\/(\d+)(?:\.\S*)?( \((?:x86_64|arm64|i386)\))?/.exec(ua);
    if (!m) return null;
    const [, product, build, darwin, architecture] = m;
    const mac = architecture !== undefined;
    const major = Number(darwin) - (mac ? MACOS_FROM_DARWIN : IOS_FROM_DARWIN);
    const family = mac ? "macOS" : "iOS";
    return {
      deviceType: mac ? "Macintosh" : "iOS",
      os: Number(darwin) >= 20 ? `${family} ${major}` : family,
      browser: decodeProduct(product),
      browserVersion: build,
      client: "APP",
    };
  },
  // "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240805.005)": Android's own HTTP stack.
  (ua) => {
    const m = /^Dalvik\/\S+ \(Linux; U; Android ([\d.]+); ([^;)]+?)(?: Build\/[^;)]*)?\)/.exec(ua);
    if (!m) return null;
    return { deviceType: "Android", os: `Android ${m[1]} (${m[2].trim()})`, browser: "Android app", browserVersion: null, client: "APP" };
  },
  // okhttp: Android apps, React Native's included.
  (ua) => {
    const m = /^okhttp\/(\S+)/i.exec(ua);
    return m && { deviceType: "Android", os: "Android", browser: "Android app", browserVersion: null, client: "APP" };
  },
  // "Dart/3.5 (dart:io)": a Flutter app, on a platform it does not name.
  (ua) => {
    const m = /^Dart\/(\S+) \(dart:io\)/.exec(ua);
    return m && { deviceType: "Unknown", os: null, browser: "Flutter app", browserVersion: null, client: "APP" };
  },
  // Scripts and command-line tools.
  (ua) => {
    const m = /^(curl|Wget|python-requests|python-httpx|Python-urllib|Go-http-client|node-fetch|undici|axios|PostmanRuntime|HTTPie|insomnia)\/(\S+)/i.exec(ua);
    return m && { deviceType: "Unknown", os: null, browser: m[1], browserVersion: m[2], client: "OTHER" };
  },
];

/** An app's name as CFNetwork writes it: percent-encoded ("My%20App"). */
function decodeProduct(product: string): string {
  let decoded = product;
  try {
    decoded = decodeURIComponent(product);
  } catch {
    // Not valid percent-encoding: shown as written.
  }
  // A percent-encoded name must not smuggle control or invisible characters onto the page.
  return withoutHiddenCharacters(decoded) || "Unknown app";
}
