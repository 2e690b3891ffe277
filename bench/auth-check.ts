import "reflect-metadata";
import { performance } from "node:perf_hooks";
import jwt from "jsonwebtoken";
import { AccessTokens } from "../src/auth/access-token";
import { accessKeyOf } from "../src/auth/signing-keys";
import { startInProcessServer } from "../support/in-process-server";
import { gql, ME, signUp, uniqueEmail } from "./graphql";
import { median, ms, percentile } from "./stats";

const SECRET = "bench-secret-that-is-at-least-32-bytes-long";

/** µs per jwt.verify with a string secret vs our imported KeyObject. */
function verifyCost(): void {
  const tokens = new AccessTokens(accessKeyOf(SECRET), [], "session-service", "session-service", 3600, { now: Date.now, toleranceSeconds: 5 });
  const token = tokens.sign({ userId: "u", sessionId: "s", role: "USER" }).token;
  const options = { algorithms: ["HS256" as const], issuer: "session-service", audience: "session-service" };
  const time = (fn: () => unknown, n: number) => {
    for (let i = 0; i < 200; i++) fn();
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    return ((performance.now() - start) / n) * 1000;
  };
  const stringToken = jwt.sign({ sub: "u" }, SECRET, { algorithm: "HS256", issuer: "session-service", audience: "session-service" });
  const withString = time(() => jwt.verify(stringToken, SECRET, options), 2000);
  const withKey = time(() => tokens.verify(token), 20000);
  console.log(`jwt verify: string secret ${withString.toFixed(1)} µs, KeyObject ${withKey.toFixed(1)} µs, ratio ${(withString / withKey).toFixed(1)}x`);
}

/** The whole authenticated request: HTTP + JWT + the database check that the session is active. */
async function authenticatedRequests(): Promise<void> {
  const server = await startInProcessServer({ REDIS_URL: process.env.REDIS_URL });
  try {
    const { accessToken } = await signUp(server.graphqlUrl, uniqueEmail());
    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const start = performance.now();
      await gql(server.graphqlUrl, ME, {}, accessToken);
      latencies.push(performance.now() - start);
    }
    const concurrency = 16;
    const total = 2000;
    let done = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (done < total) {
          done++;
          await gql(server.graphqlUrl, ME, {}, accessToken);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const db = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";
    console.log(`authenticated \`me\` over HTTP (${db}): sequential median ${ms(median(latencies))}, p99 ${ms(percentile(latencies, 99))}; ${concurrency} concurrent: ${(total / seconds).toFixed(0)} req/s`);
  } finally {
    await server.stop();
  }
}

verifyCost();
authenticatedRequests().catch((error) => {
  console.error(error);
  process.exit(1);
});
