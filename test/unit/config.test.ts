import { ConfigError, loadConfig } from "../../src/config";

describe("configuration", () => {
  test("ALLOWED_ORIGINS takes origins as browsers send them, and nothing else", () => {
    expect(loadConfig({ ALLOWED_ORIGINS: "https://app.example, http://localhost:5173" }).allowedOrigins).toEqual(["https://app.example", "http://localhost:5173"]);
    // A trailing slash is what people paste; it names the same origin.
    expect(loadConfig({ ALLOWED_ORIGINS: "https://app.example/" }).allowedOrigins).toEqual(["https://app.example"]);
    for (const wrong of ["app.example", "https://app.example/path", "ftp://app.example", "*"]) {
      expect(() => loadConfig({ ALLOWED_ORIGINS: wrong })).toThrow(ConfigError);
    }
  });

  test("HSTS is off unless the operator says clients come over HTTPS", () => {
    expect(loadConfig({}).hsts).toBe(false);
    expect(loadConfig({ HSTS_ENABLED: "true" }).hsts).toBe(true);
  });
});
