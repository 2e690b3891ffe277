import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

// The baseline of the stack bench: Apollo Server 5 as its docs start it, one field, nothing else.
async function main(): Promise<void> {
  const server = new ApolloServer({ typeDefs: "type Query { hello: String }", resolvers: { Query: { hello: () => "world" } } });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  console.log(`ready ${new URL(url).port}`);
  process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));
}

void main();
