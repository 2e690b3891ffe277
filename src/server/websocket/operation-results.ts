import type { DocumentNode, ExecutionResult, GraphQLError } from "graphql";
import { ErrorCode } from "../../graphql/error-mapping";
import { operationLabel, selectedOperation } from "../../graphql/operation-label";
import type { Logger } from "../../logging/logger";
import type { ServiceMetrics } from "../../metrics/service-metrics";
import { contractErrors } from "./contract-errors";
import type { SocketExtra } from "./on-connect";

/** graphql-ws's `onNext` and `onError`: errors in the contract's form, and each answer counted. */
export function operationResults(metrics: ServiceMetrics, logger: Logger) {
  const logOf = (extra: SocketExtra) => extra.log?.() ?? logger;
  return {
    onNext: (ctx: { extra: SocketExtra }, _id: string, _payload: unknown, args: { document: DocumentNode; operationName?: string | null }, result: unknown) => {
      const errors = (result as ExecutionResult).errors;
      const operation = selectedOperation(args.document, args.operationName);
      const formatted = errors?.length ? contractErrors(errors, logOf(ctx.extra)) : undefined;
      // A subscription's events are not operations answered; its errors are.
      if (operation?.operation !== "subscription" || formatted) {
        metrics.operation(operationLabel(operation), "websocket", formatted ? String(formatted[0].extensions?.code) : "OK");
      }
      return formatted && { ...(result as ExecutionResult), errors: formatted };
    },
    onError: (ctx: { extra: SocketExtra }, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => {
      const formatted = contractErrors(errors, logOf(ctx.extra));
      metrics.operation("unknown", "websocket", String(formatted[0]?.extensions?.code ?? ErrorCode.BadUserInput));
      return formatted;
    },
  };
}
