import { MySessionsDocument, SignUpDocument, type SessionFieldsFragment } from "../web/src/gql/graphql";
import { login, PASSWORD, signUp, USER_AGENTS, uniqueEmail } from "./helpers/accounts";
import { sessionFrom } from "./helpers/checks";
import { dataOf, request } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";

// docs/api.md, "Device, browser, IP and location". One server behind one trusted proxy serves both
// halves: without an X-Forwarded-For header the proxy setting plays no part, and the service
// ignoring the header when TRUST_PROXY is unset, believing only the last hop, and oversized
// User-Agents are checked in security/http-hardening.test.ts.
const server = useTestServer({ TRUST_PROXY: "1" });

describe("device and browser from the User-Agent", () => {
  test("each device's session shows its OS family, OS, browser and version, as stored", async () => {
    const expected: Record<keyof typeof USER_AGENTS, Partial<SessionFieldsFragment>> = {
      macChrome: { deviceType: "Macintosh", os: "Mac OS 10.15.7", browser: "Chrome", browserVersion: "131.0.0.0" },
      windowsEdge: { deviceType: "Windows", os: "Windows 10", browser: "Edge", browserVersion: "131.0.2903.86" },
      ubuntuFirefox: { deviceType: "Linux", os: "Ubuntu", browser: "Firefox", browserVersion: "133.0" },
      iphoneSafari: { deviceType: "iOS", os: "iOS 17.6", browser: "Mobile Safari", browserVersion: "17.6" },
      androidChrome: { deviceType: "Android", os: "Android 14", browser: "Chrome", browserVersion: "131.0.6778.135" },
      chromebook: { deviceType: "Chrome OS", os: "Chromium OS 14541.0.0", browser: "Chrome", browserVersion: "131.0.0.0" },
    };
    const email = uniqueEmail();
    const devices = Object.keys(USER_AGENTS) as (keyof typeof USER_AGENTS)[];
    const [first, ...others] = devices;
    const signed = [await signUp(server, email, USER_AGENTS[first])];
    signed.push(...(await Promise.all(others.map((device) => login(server, email, USER_AGENTS[device])))));

    devices.forEach((device, i) => {
      expect(signed[i].session).toMatchObject({ ...expected[device], userAgent: USER_AGENTS[device] });
    });
    // Read back from the database, not just echoed from the login.
    const { mySessions } = dataOf(await request(server.graphqlUrl, MySessionsDocument, {}, { token: signed[0].accessToken }));
    expect(mySessions).toHaveLength(devices.length);
    for (const device of devices) {
      expect(mySessions.find((s) => s.userAgent === USER_AGENTS[device])).toMatchObject(expected[device]);
    }
  });

  test("no User-Agent header: deviceType and browser Unknown, userAgent empty", async () => {
    // The test client adds no User-Agent of its own (unlike fetch).
    const response = await request(server.graphqlUrl, SignUpDocument, { email: uniqueEmail(), password: PASSWORD });
    expect(response.status).toBe(200);
    const session: SessionFieldsFragment = dataOf(response).signUp.session;
    expect(session).toMatchObject({ deviceType: "Unknown", os: null, browser: "Unknown", browserVersion: null, userAgent: "" });
  });

});

describe("IP address and location behind one trusted proxy (TRUST_PROXY=1)", () => {
  test("the forwarded public address, located by the bundled GeoIP data", async () => {
    const session = await sessionFrom(server, { "x-forwarded-for": "8.8.8.8" });
    expect(session.ipAddress).toBe("8.8.8.8");
    expect(session.location).toMatchObject({ country: "US" });
  });

  test("a public IPv6 address is located too", async () => {
    const session = await sessionFrom(server, { "x-forwarded-for": "2001:4860:4860::8888" });
    expect(session.ipAddress).toBe("2001:4860:4860::8888");
    expect(session.location).toMatchObject({ country: "US" });
  });

  test("a city-level address gets its region, city and time zone", async () => {
    const session = await sessionFrom(server, { "x-forwarded-for": "81.2.69.142" });
    expect(session.location).toEqual({ country: "GB", region: "ENG", city: expect.any(String), timezone: "Europe/London" });
  });

  test.each(["10.1.2.3", "192.168.1.1", "172.16.0.1", "127.0.0.1", "::1", "fc00::1", "100.64.0.1"])("a private or loopback address (%s) has no location", async (address) => {
    const session = await sessionFrom(server, { "x-forwarded-for": address });
    expect(session.ipAddress).toBe(address);
    expect(session.location).toBeNull();
  });

  test("an address GeoIP knows nothing about has no location rather than an empty one", async () => {
    const session = await sessionFrom(server, { "x-forwarded-for": "1.1.1.1" });
    expect(session.ipAddress).toBe("1.1.1.1");
    expect(session.location).toBeNull();
  });

  test("a garbage hop falls back to the peer address", async () => {
    const session = await sessionFrom(server, { "x-forwarded-for": "not-an-ip" });
    expect(session.ipAddress).toBe("127.0.0.1");
    expect(session.location).toBeNull();
  });
});
