import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

// Our deepest honest query (introspection's TypeRef fragment) nests 13 levels.
export const MAX_DEPTH = 15;
// Enough for any screen; far too few to brute-force or amplify work inside one request.
export const MAX_ALIASES = 15;
// Each of these checks a password or spends a token: one per document, so aliases and
// batching cannot multiply guesses past the per-attempt rate limit.
const ONCE_PER_DOCUMENT = new Set(["login", "signUp", "refreshSession", "changePassword"]);

// `depths` remembers each fragment's depth: walking every path instead would take 2^n steps
// for n fragments that each spread the next one twice, blocking the event loop.
function depthOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>, depths = new Map<string, number>()): number {
  if (!set) return 0;
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, seen, depths) : 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen, depths));
    } else if (!seen.has(selection.name.value)) {
      const name = selection.name.value;
      if (!depths.has(name)) depths.set(name, depthOf(fragments.get(name)?.selectionSet, fragments, new Set([...seen, name]), depths));
      deepest = Math.max(deepest, depths.get(name)!);
    }
  }
  return deepest;
}

export const maxDepthRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const fragments = new Map(
    context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return {
    OperationDefinition(node) {
      if (depthOf(node.selectionSet, fragments, new Set()) > MAX_DEPTH) {
        context.reportError(new GraphQLError(`Query is nested deeper than ${MAX_DEPTH} levels.`, { nodes: [node] }));
      }
    },
  };
};

export const maxAliasesRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  let aliases = 0;
  return {
    Field(node) {
      if (node.alias && ++aliases === MAX_ALIASES + 1) {
        context.reportError(new GraphQLError(`Query uses more than ${MAX_ALIASES} aliases.`, { nodes: [node] }));
      }
    },
  };
};

export const credentialFieldsOnceRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const seen = new Map<string, number>();
  return {
    Field(node) {
      const type = context.getParentType();
      if (!type || type !== context.getSchema().getMutationType() || !ONCE_PER_DOCUMENT.has(node.name.value)) return;
      const count = (seen.get(node.name.value) ?? 0) + 1;
      seen.set(node.name.value, count);
      if (count === 2) context.reportError(new GraphQLError(`${node.name.value} may appear only once per request.`, { nodes: [node] }));
    },
  };
};

export const validationRules: ValidationRule[] = [maxDepthRule, maxAliasesRule, credentialFieldsOnceRule];
