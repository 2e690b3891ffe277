import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * One set of typed documents, checked against the emitted schema, for every client in this
 * repository: the web page (web/src, written with its `graphql()` function) and the tests and
 * benchmarks (test/operations/*.graphql, imported as `…Document` from web/src/gql/graphql).
 * Operation and fragment names are therefore unique across both; fragments are shared
 * (ActivityEntryFields is the page's, in web/src/pages/RecentActivity.tsx, used by the tests too).
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  generates: {
    "web/src/gql/": {
      documents: ["web/src/**/*.{ts,tsx}", "!web/src/gql/**", "test/operations/**/*.graphql"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { scalars: { DateTime: "string" }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
