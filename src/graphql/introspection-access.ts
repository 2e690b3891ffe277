import { NoSchemaIntrospectionCustomRule, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from "graphql";
import type { Caller } from "../domain/caller";

/**
 * Who may see the schema: everyone while INTROSPECTION_ENABLED is on; otherwise ADMINs only, so
 * the IDE keeps its docs and completion for them (docs/api.md, Changes 10). The role is the
 * authenticated caller's, as the revocation gate knows it, never a token's claim alone.
 */
export function mayIntrospect(enabled: boolean, caller: Caller | null): boolean {
  return enabled || caller?.role === "ADMIN";
}

/** A validation message without its "Did you mean …?", which would hand out the schema piece by piece. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, "");
}

// Per parsed document: Apollo keeps the documents it validated, so a repeated query is looked at once.
const refusals = new WeakMap<DocumentNode, readonly GraphQLError[]>();

/** The introspection fields (`__schema`, `__type`) a document asks for, as validation would refuse them. */
export function introspectionRefusals(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  let found = refusals.get(document);
  if (!found) {
    found = validate(schema, document, [NoSchemaIntrospectionCustomRule]);
    refusals.set(document, found);
  }
  return found;
}
