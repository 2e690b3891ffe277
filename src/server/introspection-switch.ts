import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { RequestContext } from "../graphql/context";
import { introspectionRefusals, mayIntrospect, withoutSuggestions } from "../graphql/introspection-access";

/**
 * INTROSPECTION_ENABLED over HTTP, per caller. Apollo's own switches (`introspection`,
 * `hideSchemaDetailsFromClientErrors`) hold for every request alike, so Apollo is left open and
 * this closes it, once the request's caller is known, for callers who may not introspect: their
 * introspection fields are refused as validation refuses them (400, GRAPHQL_VALIDATION_FAILED),
 * and their validation errors lose the suggestions. The check runs on every request, past
 * Apollo's cache of validated documents, which would otherwise pass an ADMIN's query to anyone.
 */
export function introspectionSwitch(enabled: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (mayIntrospect(enabled, contextValue.caller)) return;
      return {
        async validationDidStart() {
          return async (errors) => {
            for (const error of errors ?? []) error.message = withoutSuggestions(error.message);
          };
        },
        async didResolveOperation({ schema, document }) {
          const [refused] = introspectionRefusals(schema, document);
          if (refused) throw new GraphQLError(refused.message, { nodes: refused.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } } });
        },
      };
    },
  };
}
