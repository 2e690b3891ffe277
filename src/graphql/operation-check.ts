import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { validationRules } from "./validation-rules";

export interface OperationCheckOptions {
  /** With introspection off, introspection fields are refused and no "Did you mean …?" is given. */
  introspection: boolean;
}

/** An error a request gets before anything runs, tagged with the code Apollo gives it over HTTP. */
function requestError(error: GraphQLError, code: "GRAPHQL_PARSE_FAILED" | "GRAPHQL_VALIDATION_FAILED", hideSuggestions: boolean): GraphQLError {
  const message = hideSuggestions ? error.message.replace(/ ?Did you mean(.+?)\?$/, "") : error.message;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

/**
 * Parses and validates an operation exactly as Apollo does over HTTP (the same rules, the same
 * introspection switch, no suggestions when it is off), for transports Apollo does not serve.
 */
export function checkOperation(schema: GraphQLSchema, query: string, options: OperationCheckOptions): DocumentNode | GraphQLError[] {
  const hide = !options.introspection;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return [requestError(error, "GRAPHQL_PARSE_FAILED", false)];
    throw error;
  }
  const rules = [...specifiedRules, ...validationRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const errors = validate(schema, document, rules);
  return errors.length > 0 ? errors.map((error) => requestError(error, "GRAPHQL_VALIDATION_FAILED", hide)) : document;
}
