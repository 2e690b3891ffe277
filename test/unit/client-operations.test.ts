import fs from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate } from "graphql";
import * as operations from "../../client/src/operations";

// The client package writes its documents as plain strings (it carries no GraphQL library), so
// nothing compiles them against the schema: this does, against the SDL the service emits.
describe("the client package's documents", () => {
  const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, "..", "..", "schema", "schema.graphql"), "utf8"));

  test.each(Object.entries(operations).filter(([, value]) => typeof value === "string"))("%s is valid against the served schema", (_, document) => {
    expect(validate(schema, parse(document as string)).map((error) => error.message)).toEqual([]);
  });

  test("a renamed field would be caught", () => {
    const broken = operations.MY_SESSIONS.replace("lastActiveAt", "lastSeenAt");
    expect(validate(schema, parse(broken)).map((error) => error.message)).toEqual([expect.stringContaining("lastSeenAt")]);
  });
});
