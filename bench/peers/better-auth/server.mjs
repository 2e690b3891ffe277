// Better Auth 1.7 as its docs serve it on Node: toNodeHandler, PostgreSQL through pg, email and
// password, rate limiting off. COOKIE_CACHE=1 turns session.cookieCache on (5 minutes).
import http from "node:http";
import pg from "pg";
import { betterAuth } from "better-auth";
import { toNodeHandler } from "better-auth/node";
import { getMigrations } from "better-auth/db/migration";

const port = Number(process.env.PORT ?? 0);
const server = http.createServer();
await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
const baseURL = `http://127.0.0.1:${server.address().port}`;
const auth = betterAuth({
  database: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }),
  secret: "bench-secret-bench-secret-bench-secret-0123456789",
  baseURL,
  trustedOrigins: [baseURL],
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  session: process.env.COOKIE_CACHE === "1" ? { cookieCache: { enabled: true, maxAge: 300 } } : {},
});
const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
server.on("request", toNodeHandler(auth));
console.log(`ready ${server.address().port}`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
