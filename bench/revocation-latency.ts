import "reflect-metadata";
import { performance } from "node:perf_hooks";
import { TerminateSessionDocument } from "../test/generated/graphql";
import { login, uniqueEmail, signUp } from "../test/helpers/accounts";
import { dataOf, request } from "../test/helpers/graphql-client";
import { startTestServer } from "../test/helpers/test-server";
import { watchRevocation } from "../test/helpers/ws-client";
import { median, ms, percentile } from "./stats";

// From a terminateSession to the device being told: how long the killed device keeps believing it is logged in.
const ROUNDS = Number(process.env.ROUNDS ?? 20);

async function main(): Promise<void> {
  const server = await startTestServer({ REDIS_URL: process.env.REDIS_URL });
  const email = uniqueEmail("bench");
  const keeper = await signUp(server, email);
  const afterResponse: number[] = [];
  const afterRequest: number[] = [];
  const responseTimes: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const victim = await login(server, email);
      const socket = await watchRevocation(server, victim.accessToken, victim.session.id);
      let eventAt = 0;
      const event = socket.waitFor((m) => m.type === "next" && m.id === "revoked").then(() => (eventAt = performance.now()));
      const sentAt = performance.now();
      const result = await request(server.graphqlUrl, TerminateSessionDocument, { sessionId: victim.session.id }, { token: keeper.accessToken });
      const respondedAt = performance.now();
      dataOf(result);
      await event;
      await socket.closed;
      afterResponse.push(eventAt - respondedAt);
      afterRequest.push(eventAt - sentAt);
      responseTimes.push(respondedAt - sentAt);
    }
  } finally {
    await server.stop();
  }
  const db = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";
  console.log(`revocation push latency, ${ROUNDS} rounds, ${db}${process.env.REDIS_URL ? " + Redis" : ""}`);
  console.log(`  terminateSession response time      median ${ms(median(responseTimes))}  p90 ${ms(percentile(responseTimes, 90))}`);
  console.log(`  request sent -> event received      median ${ms(median(afterRequest))}  p90 ${ms(percentile(afterRequest, 90))}`);
  console.log(`  response received -> event received median ${ms(median(afterResponse))}  (negative: the push beat the response)`);
  console.log(`  event before response in ${afterResponse.filter((d) => d <= 0).length}/${ROUNDS} rounds`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
