import type { CodegenConfig } from "@graphql-codegen/cli";

const typesConfig = { scalars: { DateTime: "string" }, enumsAsTypes: true, useTypeImports: true };

/**
 * Typed documents, checked against the emitted schema: the operations the tests send, and the
 * ones the web page (web/src, written with its `graphql()` function) sends.
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  generates: {
    "test/generated/": {
      documents: ["test/operations/**/*.graphql"],
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "gql" },
      config: typesConfig,
    },
    "web/src/gql/": {
      documents: ["web/src/**/*.{ts,tsx}", "!web/src/gql/**"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: typesConfig,
    },
  },
};

export default config;
