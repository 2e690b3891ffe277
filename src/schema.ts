import fs from "node:fs/promises";
import path from "node:path";
import { printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type ContainerType, type PubSub } from "type-graphql";
import type { AccountService } from "./accounts/account-service";
import { AccountResolver } from "./accounts/account.resolver";
import { ActivityResolver } from "./accounts/activity.resolver";
import { AdminResolver } from "./admin/admin.resolver";
import { authChecker } from "./graphql/auth-checker";
import { DateTimeScalar } from "./graphql/date-time.scalar";
import { LiveSessionResolver } from "./realtime/live-session.resolver";
import type { SessionAccess } from "./sessions/session-access";
import { SessionResolver } from "./sessions/session.resolver";
import { SignalReceiverResolver } from "./signals/signal-receiver.resolver";
import type { SignalTransmitter } from "./signals/transmitter";

// This file runs from src/ under jest and from dist/src/ when built.
const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");
export const SCHEMA_FILE = path.join(PROJECT_ROOT, "schema", "schema.graphql");

/** The services the resolvers call; absent when the schema is only printed. */
export interface ResolverServices {
  accounts: AccountService;
  access: SessionAccess;
  signals: SignalTransmitter;
}

/**
 * type-graphql refuses to build subscriptions without a PubSub, even when every subscription
 * brings its own `subscribe` (ours follows the socket's own session, see realtime/).
 */
const noTopicPubSub: PubSub = {
  publish: () => {
    throw new Error("subscriptions here are not topic-based");
  },
  subscribe: () => {
    throw new Error("subscriptions here are not topic-based");
  },
};

/** Each resolver made once, with the services it calls passed to its constructor. */
function resolverContainer(services: ResolverServices | undefined): ContainerType {
  const made = new Map<Function, object>();
  const make = (resolver: Function): object => {
    if (!services) throw new Error("this schema was built without services: it can be printed, not executed");
    if (resolver === AccountResolver) return new AccountResolver(services.accounts);
    if (resolver === SessionResolver) return new SessionResolver(services.access);
    if (resolver === AdminResolver) return new AdminResolver(services.accounts, services.access);
    if (resolver === LiveSessionResolver) return new LiveSessionResolver();
    if (resolver === ActivityResolver) return new ActivityResolver(services.accounts);
    if (resolver === SignalReceiverResolver) return new SignalReceiverResolver(services.signals);
    throw new Error(`no wiring for resolver ${resolver.name}`);
  };
  return {
    get: (resolver: Function) => {
      if (!made.has(resolver)) made.set(resolver, make(resolver));
      return made.get(resolver);
    },
  };
}

export function buildAppSchema(services?: ResolverServices): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [AccountResolver, SessionResolver, AdminResolver, LiveSessionResolver, ActivityResolver, SignalReceiverResolver],
    container: resolverContainer(services),
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
