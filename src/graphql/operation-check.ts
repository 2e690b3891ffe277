import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { LruMap } from "../cache/lru-map";
import { withoutSuggestions } from "./introspection-access";
import { validationRules } from "./validation-rules";

export interface OperationCheckOptions {
  /** With introspection off, introspection fields are refused and no "Did you mean …?" is given. */
  introspection: boolean;
}

/** An error a request gets before anything runs, tagged with the code Apollo gives it over HTTP. */
function requestError(error: GraphQLError, code: "GRAPHQL_PARSE_FAILED" | "GRAPHQL_VALIDATION_FAILED", hideSuggestions: boolean): GraphQLError {
  const message = hideSuggestions ? withoutSuggestions(error.message) : error.message;
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

// Operations that passed, by schema and switch: a thousand devices sending the same
// subscription share one parsed document (parsed and validated once), instead of each socket
// keeping its own copy of the same tree for as long as it is open.
const PASSED_HELD = 500;
const passed = new WeakMap<GraphQLSchema, LruMap<string, DocumentNode>>();

function checkOperationOnce(schema: GraphQLSchema, query: string, options: OperationCheckOptions): DocumentNode | GraphQLError[] {
  let held = passed.get(schema);
  if (!held) passed.set(schema, (held = new LruMap(PASSED_HELD)));
  const key = `${options.introspection ? 1 : 0}${query}`;
  const known = held.get(key);
  if (known) return known;
  const checked = checkOperation(schema, query, options);
  if (!Array.isArray(checked)) held.set(key, checked);
  return checked;
}

/**
 * checkOperation for one caller: with introspection off, an operation refused by validation is
 * checked again with it on when the caller may introspect anyway (an ADMIN). The caller is asked
 * only then, so an operation that passes costs no second look at its session.
 */
export async function checkOperationFor(schema: GraphQLSchema, query: string, introspection: boolean, callerMayIntrospect: () => Promise<boolean>): Promise<DocumentNode | GraphQLError[]> {
  const checked = checkOperationOnce(schema, query, { introspection });
  if (introspection || !Array.isArray(checked) || checked[0]?.extensions.code !== "GRAPHQL_VALIDATION_FAILED") return checked;
  return (await callerMayIntrospect()) ? checkOperationOnce(schema, query, { introspection: true }) : checked;
}
