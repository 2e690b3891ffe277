import type { CodegenConfig } from "@graphql-codegen/cli";

/** Typed documents for the operations the tests send, checked against the emitted schema. */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["test/operations/**/*.graphql"],
  generates: {
    "test/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "gql" },
      config: { scalars: { DateTime: "string" }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
