import fs from "node:fs";
import path from "node:path";
import { buildSchema, findBreakingChanges, isEnumType, isObjectType, type GraphQLSchema } from "graphql";
import { END_REASON_NAMES } from "../src/domain/end-reason";
import { ROLES } from "../src/domain/role";
import { buildAppSchema, printAppSchema, SCHEMA_FILE } from "../src/schema";
import { useTestServer } from "./helpers/test-server";

const CONTRACT_COPY = path.join(path.dirname(SCHEMA_FILE), "contract.graphql");
const SHARED_CONTRACT = path.resolve(__dirname, "..", "..", "shared", "contract", "schema.graphql");
const SHARED_API = path.resolve(__dirname, "..", "..", "shared", "API.md");
// The shared folder sits beside the repo only in a workspace that has it: elsewhere these say they were skipped.
const besideShared = (file: string) => (fs.existsSync(file) ? test : test.skip);

/** Every type, field, argument and enum value of the contract, with its exact type, in the served schema. */
function missingFromServed(contract: GraphQLSchema, served: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const [name, type] of Object.entries(contract.getTypeMap())) {
    if (name.startsWith("__")) continue;
    const ours = served.getType(name);
    if (!ours) {
      missing.push(name);
      continue;
    }
    if (isObjectType(type) && isObjectType(ours)) {
      for (const [fieldName, field] of Object.entries(type.getFields())) {
        const our = ours.getFields()[fieldName];
        if (!our || String(our.type) !== String(field.type)) missing.push(`${name}.${fieldName}`);
        for (const arg of field.args) {
          const ourArg = our?.args.find((a) => a.name === arg.name);
          if (!ourArg || String(ourArg.type) !== String(arg.type) || ourArg.defaultValue !== arg.defaultValue) missing.push(`${name}.${fieldName}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type) && isEnumType(ours)) {
      for (const value of type.getValues()) if (!ours.getValue(value.name)) missing.push(`${name}.${value.name}`);
    }
  }
  return missing;
}

describe("the served schema", () => {
  test("schema/schema.graphql is what the code builds (run `npm run schema` after changing resolvers)", async () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(printAppSchema(await buildAppSchema()));
  });

  test("contains the public contract unchanged: nothing renamed, removed or tightened", async () => {
    const contract = buildSchema(fs.readFileSync(CONTRACT_COPY, "utf8"));
    const served = await buildAppSchema();
    expect(findBreakingChanges(contract, served)).toEqual([]);
    expect(missingFromServed(contract, served)).toEqual([]);
  });

  besideShared(SHARED_API)("docs/api.md is the shared API.md, where the shared folder is beside the repo", () => {
    expect(fs.readFileSync(path.resolve(__dirname, "..", "docs", "api.md"), "utf8")).toBe(fs.readFileSync(SHARED_API, "utf8"));
  });

  besideShared(SHARED_CONTRACT)("our copy of the contract is the shared one, where the shared folder is beside the repo", () => {
    expect(fs.readFileSync(CONTRACT_COPY, "utf8")).toBe(fs.readFileSync(SHARED_CONTRACT, "utf8"));
  });

  test("no secret is reachable: no output field carries a hash, password or secret", async () => {
    const served = await buildAppSchema();
    const fields = Object.values(served.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith("__") && type !== served.getMutationType())
      .flatMap((type) => Object.keys((type as import("graphql").GraphQLObjectType).getFields()).map((f) => `${type.name}.${f}`));
    expect(fields).toContain("User.email");
    // The one exception: a new signal receiver's secret, shown once in the payload of the mutation
    // that made it (only its hash is kept), and reachable from no query.
    expect(fields.filter((f) => /hash|password|secret/i.test(f))).toEqual(["SignalReceiverCreated.clientSecret"]);
    const reachableFromQueries = JSON.stringify(Object.values(served.getQueryType()!.getFields()).map((f) => String(f.type)));
    expect(reachableFromQueries).not.toContain("SignalReceiverCreated");
  });
});

describe("each closed list of values is the domain's", () => {
  const server = useTestServer();

  const sorted = (values: Iterable<string>) => [...values].sort();

  function enumValues(schema: GraphQLSchema, name: string): string[] {
    const type = schema.getType(name);
    if (!isEnumType(type)) throw new Error(`${name} is not an enum in the served schema`);
    return type.getValues().map((value) => value.name);
  }

  /** The quoted values of the one CHECK constraint on exactly this column, as the database reports it. */
  async function checkedValues(table: string, column: string): Promise<string[]> {
    const rows: { definition: string }[] = await server.db.query(
      `SELECT pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND c.conkey = ARRAY[a.attnum]
        WHERE c.contype = 'c' AND c.conrelid = $1::regclass AND a.attname = $2`,
      [table, column],
    );
    expect(rows).toHaveLength(1);
    return [...rows[0].definition.matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1].replace(/''/g, "'"));
  }

  test("Role and RevocationReason: the GraphQL enums and the database CHECKs hold exactly ROLES and END_REASONS", async () => {
    const served = await buildAppSchema();
    expect(sorted(enumValues(served, "Role"))).toEqual(sorted(ROLES));
    expect(sorted(enumValues(served, "RevocationReason"))).toEqual(sorted(END_REASON_NAMES));
    expect(sorted(await checkedValues("users", "role"))).toEqual(sorted(ROLES));
    expect(sorted(await checkedValues("sessions", "end_reason"))).toEqual(sorted(END_REASON_NAMES));
  });
});
