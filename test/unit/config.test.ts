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

  test("METRICS_PORT listens on loopback unless METRICS_HOST says otherwise, whatever HOST is", () => {
    expect(loadConfig({ HOST: "0.0.0.0", METRICS_PORT: "9464" }).metricsHost).toBe("127.0.0.1");
    expect(loadConfig({ METRICS_HOST: "10.0.0.5" }).metricsHost).toBe("10.0.0.5");
  });

  // docs/api.md, Changes 10.
  test("introspection is off by default in production, on elsewhere, and the variable wins", () => {
    const production = { NODE_ENV: "production", JWT_SECRET: "a-production-secret-of-at-least-32-bytes" };
    expect(loadConfig(production).introspection).toBe(false);
    expect(loadConfig({ ...production, INTROSPECTION_ENABLED: "true" }).introspection).toBe(true);
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: "test" }).introspection).toBe(true);
    expect(loadConfig({ INTROSPECTION_ENABLED: "false" }).introspection).toBe(false);
  });

  test("HSTS is off unless the operator says clients come over HTTPS", () => {
    expect(loadConfig({}).hsts).toBe(false);
    expect(loadConfig({ HSTS_ENABLED: "true" }).hsts).toBe(true);
  });
});
