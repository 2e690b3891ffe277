import "reflect-metadata";
import { performance } from "node:perf_hooks";
import { startInProcessServer } from "../support/in-process-server";
import { login, signUp, uniqueEmail } from "./graphql";
import { median, ms, percentile } from "./stats";

// What one login costs end to end: argon2 verification, the session and its refresh token, and
// the activity entry written in the same transaction. Run it on two builds to see a change's cost.
const ROUNDS = Number(process.env.ROUNDS ?? 300);
const WARM_UP = 30;

async function main(): Promise<void> {
  const server = await startInProcessServer();
  const email = uniqueEmail("bench");
  await signUp(server.graphqlUrl, email);
  const times: number[] = [];
  try {
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      const started = performance.now();
      await login(server.graphqlUrl, email);
      if (round >= WARM_UP) times.push(performance.now() - started);
    }
  } finally {
    await server.stop();
  }
  const db = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";
  console.log(`login latency, ${ROUNDS} sequential logins of one account, ${db}`);
  console.log(`  median ${ms(median(times))}, p90 ${ms(percentile(times, 90))}, p99 ${ms(percentile(times, 99))}`);
}

void main();
