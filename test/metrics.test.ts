import { LoginDocument, MeDocument, TerminateSessionDocument } from "../web/src/gql/graphql";
import { userWithSessions } from "./helpers/accounts";
import { dataOf, request, sendHttp } from "./helpers/graphql-client";
import { useTestServer } from "./helpers/test-server";
import { revocationOf, watchRevocation } from "./helpers/ws-client";

const TOKEN = "a-metrics-token-for-the-scraper";

/** One sample's value from Prometheus' text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("GET /metrics behind METRICS_TOKEN", () => {
  const server = useTestServer({ METRICS_TOKEN: TOKEN });
  const scrape = async () => {
    const response = await sendHttp(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/plain/);
    return response.text;
  };

  test("without the token, or with another, there are no metrics to see", async () => {
    for (const headers of [{}, { authorization: "Bearer not-the-metrics-token" }, { authorization: TOKEN }] as Record<string, string>[]) {
      const response = await sendHttp(`${server.url}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(response.text).not.toContain("session_service_");
    }
  });

  test("operations by outcome, auth checks, sockets, subscriptions, endings and their delivery, the bus", async () => {
    const { email, sessions: [a, b] } = await userWithSessions(server, 2);
    await request(server.graphqlUrl, LoginDocument, { email, password: "not the password" });
    dataOf(await request(server.graphqlUrl, MeDocument, {}, { token: a.accessToken }));
    const socket = await watchRevocation(server, b.accessToken, b.session.id);

    let text = await scrape();
    expect(sample(text, "session_service_graphql_operations_total", { operation: "login", transport: "http", code: "OK" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_graphql_operations_total", { operation: "login", transport: "http", code: "UNAUTHENTICATED" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_graphql_operations_total", { operation: "me", transport: "http", code: "OK" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_auth_check_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_open_sockets")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_subscriptions", { field: "sessionRevoked" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_bus_connected")).toBe(1);

    dataOf(await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: b.session.id }, { token: a.accessToken }));
    await revocationOf(socket);
    text = await scrape();
    expect(sample(text, "session_service_session_endings_total", { reason: "TERMINATED" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_ending_delivery_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "session_service_process_cpu_seconds_total")).toBeGreaterThan(0);
  });
});

describe("GET /metrics on METRICS_PORT", () => {
  const server = useTestServer({ METRICS_PORT: "0" });

  test("served there without a token, and not on the public port", async () => {
    await userWithSessions(server, 1);
    const response = await sendHttp(`http://127.0.0.1:${server.metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(sample(response.text, "session_service_graphql_operations_total", { operation: "signUp", code: "OK" })).toBeGreaterThanOrEqual(1);
    expect((await sendHttp(`${server.url}/metrics`)).text).not.toContain("session_service_");
  });
});

// METRICS_PORT asks for no token: it must not open on the interface HOST serves the public on.
describe("METRICS_PORT listens on METRICS_HOST, loopback by default, not on HOST", () => {
  const server = useTestServer({ HOST: "127.0.0.2", METRICS_PORT: "0" });
  const elsewhere = useTestServer({ METRICS_PORT: "0", METRICS_HOST: "127.0.0.3" });

  test("by default on 127.0.0.1 only, though the service listens on 127.0.0.2", async () => {
    expect((await sendHttp(`${server.url}/healthz`)).status).toBe(200);
    expect((await sendHttp(`http://127.0.0.1:${server.metricsPort}/metrics`)).status).toBe(200);
    await expect(sendHttp(`http://127.0.0.2:${server.metricsPort}/metrics`)).rejects.toThrow(/ECONNREFUSED/);
  });

  test("METRICS_HOST moves it", async () => {
    expect((await sendHttp(`http://127.0.0.3:${elsewhere.metricsPort}/metrics`)).status).toBe(200);
    await expect(sendHttp(`http://127.0.0.1:${elsewhere.metricsPort}/metrics`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
