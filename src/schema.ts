import fs from "node:fs/promises";
import path from "node:path";
import { printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { AccountResolver } from "./accounts/account.resolver";
import { AdminResolver } from "./admin/admin.resolver";
import { authChecker } from "./auth/auth-checker";
import { AuthResolver } from "./auth/auth.resolver";
import { DateTimeScalar } from "./graphql/date-time.scalar";
import { SessionResolver } from "./sessions/session.resolver";

// This file runs from src/ under jest and from dist/src/ when built.
const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");
export const SCHEMA_FILE = path.join(PROJECT_ROOT, "schema", "schema.graphql");

/**
 * type-graphql refuses to build subscriptions without a PubSub, even when every subscription
 * brings its own `subscribe` (ours follow live connections, see realtime/live-sessions.ts).
 */
const noTopicPubSub: PubSub = {
  publish: () => {
    throw new Error("subscriptions here are not topic-based");
  },
  subscribe: () => {
    throw new Error("subscriptions here are not topic-based");
  },
};

export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [AuthResolver, AccountResolver, SessionResolver, AdminResolver],
    authChecker,
    pubSub: noTopicPubSub,
    // type-graphql 2 leaves validation off by default; our args rely on it.
    // Errors name the failing argument and rule, without echoing the whole input back.
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
}

/** The SDL as committed in schema/schema.graphql. */
export function printAppSchema(schema: GraphQLSchema): string {
  return printSchema(schema) + "\n";
}

export async function emitSchema(file = SCHEMA_FILE): Promise<void> {
  await fs.writeFile(file, printAppSchema(await buildAppSchema()));
}
