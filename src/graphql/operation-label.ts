import { getOperationAST, type DocumentNode, type OperationDefinitionNode } from "graphql";

/** An operation's label for metrics: its first field (what it does), whatever the client named it. */
export function operationLabel(operation: OperationDefinitionNode | null | undefined): string {
  const first = operation?.selectionSet.selections[0];
  return first?.kind === "Field" ? first.name.value : "unknown";
}

/** The operation a document and an operation name select. */
export function selectedOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | null {
  return getOperationAST(document, operationName ?? undefined) ?? null;
}
