import { generateKeyPairSync } from "node:crypto";
import { ConfigError, loadConfig } from "../../src/config";

describe("configuration", () => {
  test("SIGNALS_PRIVATE_KEY is an RSA key of 2048 bits or more, checked before anything starts; newlines may be written \\n", () => {
    const pem = (type: "rsa" | "ec", bits = 2048) =>
      (type === "rsa" ? generateKeyPairSync("rsa", { modulusLength: bits }) : generateKeyPairSync("ec", { namedCurve: "P-256" })).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const good = pem("rsa");
    expect(loadConfig({ SIGNALS_PRIVATE_KEY: good }).signalsPrivateKey).toBe(good.trim());
    expect(loadConfig({ SIGNALS_PRIVATE_KEY: good.trim().replace(/\n/g, "\\n") }).signalsPrivateKey).toBe(good.trim());
    expect(() => loadConfig({ SIGNALS_PRIVATE_KEY: "not a key" })).toThrow(/not a PEM private key/);
    expect(() => loadConfig({ SIGNALS_PRIVATE_KEY: pem("ec") })).toThrow(/RSA key of at least 2048 bits/);
    expect(() => loadConfig({ SIGNALS_PRIVATE_KEY: pem("rsa", 1024) })).toThrow(/RSA key of at least 2048 bits/);
    expect(loadConfig({}).signalsRetryHours).toBe(24);
    expect(() => loadConfig({ SIGNALS_RETRY_HOURS: "0" })).toThrow(ConfigError);
    expect(loadConfig({ SIGNALS_INSECURE_HOSTS: "Receiver.Test:8080, 127.0.0.1" }).signalsInsecureHosts).toEqual(["receiver.test:8080", "127.0.0.1"]);
  });

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
