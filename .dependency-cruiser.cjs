/**
 * The one-way layers of ARCHITECTURE.md, enforced: `npm test` runs this before jest (pretest,
 * `npm run lint:deps` alone) and fails on any violation.
 *
 *   index/app (composition root) -> server (HTTP, WebSocket) -> graphql edge (schema, resolvers,
 *   types, error mapping) -> services -> stores -> entities, with domain/ the shared vocabulary.
 */

// The GraphQL edge: the only files that may speak GraphQL.
const EDGE = "^src/(graphql/|server/|schema\\.ts$|app\\.ts$)|\\.(resolver|type|args)\\.ts$";
/**
 * A package by name, whether dependency-cruiser resolved it into node_modules or left it as
 * written (a subpath it cannot resolve, such as graphql-ws/use/ws, keeps its bare name).
 */
const pkg = (names) => `(^|(^|/)node_modules/)(@types/)?(${names})(/|$)`;

// Modules that stay free of project code, so they can be read, tested and reused alone.
const PURE = "^src/(auth/(password|access-token|refresh-token|signing-keys)|sessions/(device|native-agents|geo|revocation/log-cursor)|server/client-ip|lifecycle|cache/lru-map|content-security-policy)\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules must not depend on each other in a cycle.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-folder-cycles",
      severity: "error",
      comment: "Folders depend one way: a cycle between folders means two concerns are tangled.",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "graphql-only-at-the-edge",
      severity: "error",
      comment: "Services, stores and entities know nothing of GraphQL: they return values or throw domain errors (src/domain/errors.ts).",
      from: { path: "^src/", pathNot: EDGE },
      to: { path: pkg("graphql|type-graphql|graphql-scalars|@apollo/[^/]+|@as-integrations/[^/]+") },
    },
    {
      name: "websocket-libraries-only-in-the-websocket-edge",
      severity: "error",
      comment: "graphql-ws and ws stay in server/websocket/: close codes are chosen there, and nothing below knows a socket.",
      from: { path: "^src/", pathNot: "^src/server/websocket/" },
      to: { path: pkg("graphql-ws|ws") },
    },
    {
      name: "http-frameworks-only-in-the-http-edge",
      severity: "error",
      comment: "Express and Apollo stay in server/ (and the IDE's router): services answer with values and domain errors.",
      from: { path: "^src/", pathNot: "^src/(server|ide)/" },
      to: { path: pkg("express|express-serve-static-core|@apollo/[^/]+|@as-integrations/[^/]+") },
    },
    {
      name: "redis-only-in-its-adapters",
      severity: "error",
      comment: "ioredis is used by the adapters that exist for it, behind the ports they implement: the bus and the attempt store.",
      from: { path: "^src/", pathNot: "^src/(realtime/redis-session-event-bus|accounts/redis-attempt-store)\\.ts$" },
      to: { path: pkg("ioredis") },
    },
    {
      name: "the-orm-stays-in-db-and-sessions",
      severity: "error",
      comment: "No ORM handle crosses a folder: other folders run their statements through db/queryable.ts, or a session transaction's `sql`.",
      from: { path: "^src/", pathNot: "^src/(db|sessions)/" },
      to: { path: pkg("typeorm") },
    },
    {
      name: "session-stores-are-private",
      severity: "error",
      comment: "Nothing outside sessions/ reads or writes its tables directly: it goes through SessionService and the unit of work, which announces what committed.",
      from: { path: "^(src|test|bench|support|scripts)/", pathNot: "^src/sessions/" },
      to: { path: "^src/sessions/(.+-store|transaction-handle)\\.ts$" },
    },
    {
      name: "domain-does-not-call-the-edge",
      severity: "error",
      comment: "Below the edge nothing imports resolvers, GraphQL types or the transports.",
      from: { path: "^src/", pathNot: `${EDGE}|^src/(index|startup-errors)\\.ts$` },
      to: { path: EDGE },
    },
    {
      name: "pure-modules-import-nothing-of-ours",
      severity: "error",
      comment: "Passwords, tokens, keys, device and geo parsing, client IP, the lifecycle and the LRU map import no project code but each other and the domain's vocabulary (itself a leaf).",
      from: { path: PURE },
      to: { path: "^(src|migrations)/", pathNot: `${PURE}|^src/domain/` },
    },
    {
      name: "domain-vocabulary-is-a-leaf",
      severity: "error",
      comment: "src/domain is what every layer shares; it depends on nothing else of ours.",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" },
    },
    {
      name: "sessions-below-accounts",
      severity: "error",
      comment: "Accounts open sessions; sessions know nothing of accounts, administrators or transports.",
      from: { path: "^src/sessions/" },
      to: { path: "^src/(accounts|admin|realtime|server|ide)/" },
    },
    {
      name: "realtime-consumes-sessions-only",
      severity: "error",
      comment: "realtime/ implements the sessions domain's event bus and pushes; it does not reach into accounts or the server.",
      from: { path: "^src/realtime/" },
      to: { path: "^src/(accounts|admin|server|ide)/" },
    },
    {
      name: "signals-hear-only-the-database",
      severity: "error",
      comment: "The transmitter learns of endings, logins and password changes from the outbox the database's triggers fill: it calls no other service, and nothing it does reaches a socket.",
      from: { path: "^src/signals/" },
      to: { path: "^src/(sessions|realtime|admin|server|ide)/" },
    },
    {
      name: "database-below-everything",
      severity: "error",
      comment: "src/db holds start-up and entities; it imports only the domain vocabulary.",
      from: { path: "^src/db/" },
      to: { path: "^src/", pathNot: "^src/(db|domain)/" },
    },
    {
      name: "migrations-wired-at-the-top",
      severity: "error",
      comment: "Only the composition root hands the migrations to the database; nothing below reaches up for them.",
      from: { path: "^src/", pathNot: "^src/index\\.ts$" },
      to: { path: "^migrations/" },
    },
    {
      name: "benches-share-no-test-helper",
      severity: "error",
      comment: "bench/ and the harness it shares with the tests (support/) import nothing from test/: what both need lives in support/.",
      from: { path: "^(bench|support)/" },
      to: { path: "^test/" },
    },
    {
      name: "nothing-imports-the-composition-root",
      severity: "error",
      comment: "index, app and services wire everything; nothing they wire may depend on them.",
      from: { path: "^src/[^/]+/" },
      to: { path: "^src/(index|app|services|schema|startup-errors)\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(dist/|bench/peers/)" },
  },
};
