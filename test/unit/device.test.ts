import { describeDevice, deviceTypeOf, MAX_USER_AGENT_LENGTH, parseDevice, truncateUserAgent } from "../../src/sessions/device";
import { USER_AGENTS } from "../helpers/accounts";

// docs/api.md, "Device, browser, IP and location": deviceType is the OS family users recognise.
describe("deviceTypeOf", () => {
  test.each([
    ["Mac OS", "Macintosh"],
    ["macOS", "Macintosh"],
    ["Windows", "Windows"],
    ["iOS", "iOS"],
    ["Android", "Android"],
    ["Chromium OS", "Chrome OS"],
  ])("%s shows as %s", (osName, deviceType) => {
    expect(deviceTypeOf(osName)).toBe(deviceType);
  });

  test.each(["Ubuntu", "Kubuntu", "Xubuntu", "Lubuntu", "Debian", "Raspbian", "Fedora", "CentOS", "Red Hat", "RedHat", "SUSE", "openSUSE",
    "Gentoo", "Arch", "Mint", "Manjaro", "Slackware", "Mageia", "Deepin", "elementary OS", "Linux", "linux"])(
    "the Linux distribution %s shows as Linux",
    (osName) => {
      expect(deviceTypeOf(osName)).toBe("Linux");
    },
  );

  test.each(["FreeBSD", "OpenBSD", "PlayStation", "Windows Phone", "Tizen"])("another parsed OS (%s) shows by its name", (osName) => {
    expect(deviceTypeOf(osName)).toBe(osName);
  });

  test.each([undefined, ""])("no OS (%p) is Unknown", (osName) => {
    expect(deviceTypeOf(osName)).toBe("Unknown");
  });
});

describe("parseDevice", () => {
  test.each([
    [USER_AGENTS.macChrome, { deviceType: "Macintosh", os: "Mac OS 10.15.7", browser: "Chrome", browserVersion: "131.0.0.0", client: "BROWSER" }],
    [USER_AGENTS.windowsEdge, { deviceType: "Windows", os: "Windows 10", browser: "Edge", browserVersion: "131.0.2903.86", client: "BROWSER" }],
    [USER_AGENTS.ubuntuFirefox, { deviceType: "Linux", os: "Ubuntu", browser: "Firefox", browserVersion: "133.0", client: "BROWSER" }],
    [USER_AGENTS.iphoneSafari, { deviceType: "iOS", os: "iOS 17.6", browser: "Mobile Safari", browserVersion: "17.6", client: "BROWSER" }],
    [USER_AGENTS.androidChrome, { deviceType: "Android", os: "Android 14", browser: "Chrome", browserVersion: "131.0.6778.135", client: "BROWSER" }],
    [USER_AGENTS.chromebook, { deviceType: "Chrome OS", os: "Chromium OS 14541.0.0", browser: "Chrome", browserVersion: "131.0.0.0", client: "BROWSER" }],
  ])("%s", (userAgent, device) => {
    expect(parseDevice(userAgent)).toEqual(device);
  });

  test.each([
    ["Fedora", "Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"],
    ["Debian", "Mozilla/5.0 (X11; Linux x86_64; Debian) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"],
    ["Raspberry Pi OS", "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Raspbian Chromium/78.0.3904.108 Chrome/78.0.3904.108 Safari/537.36"],
    ["Xubuntu", "Mozilla/5.0 (X11; Xubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"],
    ["lower-case linux", "Mozilla/5.0 (X11; linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"],
    ["plain Linux", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"],
  ])("a %s desktop is Linux", (_label, userAgent) => {
    expect(parseDevice(userAgent).deviceType).toBe("Linux");
  });

  test("a macOS Safari shows the Mac OS version with dots", () => {
    const device = parseDevice("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15");
    expect(device).toEqual({ deviceType: "Macintosh", os: "Mac OS 14.1", browser: "Safari", browserVersion: "17.1", client: "BROWSER" });
  });

  test("another OS keeps its parsed name", () => {
    expect(parseDevice("Mozilla/5.0 (X11; FreeBSD amd64; rv:120.0) Gecko/20100101 Firefox/120.0")).toMatchObject({ deviceType: "FreeBSD", browser: "Firefox" });
  });

  test.each([
    ["empty", ""],
    ["control characters and markup", "\u0000\r\n<script>alert(1)</script>"],
  ])("an unrecognisable user agent (%s) is Unknown throughout", (_label, userAgent) => {
    expect(parseDevice(userAgent)).toEqual({ deviceType: "Unknown", os: null, browser: "Unknown", browserVersion: null, client: "OTHER" });
  });

  test("a mobile app without a browser token is shown by its first product, as an app", () => {
    expect(parseDevice("MyApp/1.2 (iPhone; iOS 17.0; Scale/3.00)")).toEqual({ deviceType: "iOS", os: "iOS 17.0", browser: "MyApp", browserVersion: "1.2", client: "APP" });
  });

  // ua-parser-js has had ReDoS bugs (CVE-2020-7733, CVE-2021-27292): only a bounded prefix is parsed.
  test("only the start of a long user agent is parsed, so regex work stays bounded", () => {
    const padded = `${"x".repeat(600)} ${USER_AGENTS.macChrome}`;
    expect(parseDevice(padded)).toMatchObject({ deviceType: "Unknown", os: null });
    const started = Date.now();
    parseDevice(`Mozilla/5.0 (${"Linux; ".repeat(20_000)}`);
    parseDevice(`${"a".repeat(100_000)}/${"1.".repeat(50_000)}`);
    // Generous on a loaded 2-core machine; an unbounded backtrack takes seconds to minutes.
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("truncateUserAgent", () => {
  test("keeps a normal user agent as it is", () => {
    expect(truncateUserAgent(USER_AGENTS.windowsEdge)).toBe(USER_AGENTS.windowsEdge);
  });

  test("cuts a long one to the contract's 1024 characters", () => {
    const long = "y".repeat(5000);
    expect(MAX_USER_AGENT_LENGTH).toBe(1024);
    expect(truncateUserAgent(long)).toBe(long.slice(0, 1024));
  });

  test("no header becomes the empty string", () => {
    expect(truncateUserAgent(undefined)).toBe("");
  });
});

// Issue 15: the user agents native apps and tools really send, shown as themselves.
describe("native apps and tools", () => {
  test.each([
    ["Acme/3.2.1 CFNetwork/1490.0.4 Darwin/23.2.0", { deviceType: "iOS", os: "iOS 17", browser: "Acme", browserVersion: "3.2.1", client: "APP" }],
    ["My%20App/42 CFNetwork/1410.0.3 Darwin/22.4.0", { deviceType: "iOS", os: "iOS 16", browser: "My App", browserVersion: "42", client: "APP" }],
    ["Acme/7 CFNetwork/1494.0.7 Darwin/23.4.0 (arm64)", { deviceType: "Macintosh", os: "macOS 14", browser: "Acme", browserVersion: "7", client: "APP" }],
    ["Acme/7 CFNetwork/1240.0.4 Darwin/20.6.0 (x86_64)", { deviceType: "Macintosh", os: "macOS 11", browser: "Acme", browserVersion: "7", client: "APP" }],
    ["Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240805.005)", { deviceType: "Android", os: "Android 14 (Pixel 8)", browser: "Android app", client: "APP" }],
    ["Dalvik/2.1.0 (Linux; U; Android 13; SM-S918B)", { deviceType: "Android", os: "Android 13 (SM-S918B)", client: "APP" }],
    ["okhttp/4.12.0", { deviceType: "Android", os: "Android", browser: "Android app", client: "APP" }],
    ["Dart/3.5 (dart:io)", { deviceType: "Unknown", os: null, browser: "Flutter app", client: "APP" }],
    ["curl/8.5.0", { deviceType: "Unknown", browser: "curl", browserVersion: "8.5.0", client: "OTHER" }],
    ["python-requests/2.31.0", { browser: "python-requests", client: "OTHER" }],
    ["Go-http-client/1.1", { browser: "Go-http-client", client: "OTHER" }],
    ["", { deviceType: "Unknown", browser: "Unknown", client: "OTHER" }],
  ])("%s", (userAgent, expected) => {
    expect(parseDevice(userAgent)).toMatchObject(expected);
  });

  test("browsers are BROWSER; a desktop app on a browser engine (Electron) is APP", () => {
    for (const ua of Object.values(USER_AGENTS)) expect(parseDevice(ua).client).toBe("BROWSER");
    const slack = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/128.0.6613.186 Electron/32.2.5 Safari/537.36";
    expect(parseDevice(slack)).toMatchObject({ deviceType: "Macintosh", client: "APP" });
  });

  test("what the app says (DeviceInput) wins over its user agent", () => {
    expect(describeDevice("okhttp/4.12.0", { appName: "Acme", appVersion: "3.2.1" })).toMatchObject({ deviceType: "Android", browser: "Acme", browserVersion: "3.2.1", client: "APP" });
    expect(describeDevice(USER_AGENTS.macChrome, { name: "Work laptop" })).toMatchObject({ browser: "Chrome", client: "BROWSER" });
  });

  test("a percent-encoded control character in an app's name does not reach the page", () => {
    expect(parseDevice("Ev%00il%E2%80%AEppA/1 CFNetwork/1490.0.4 Darwin/23.2.0").browser).toBe("EvilppA");
  });
});
