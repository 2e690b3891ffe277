import type { ApolloServerPlugin } from "@apollo/server";
import type { ErrorRequestHandler } from "express";
import type { RequestContext } from "../graphql/context";
import { clientInputCode, ErrorCode, isUnexpected } from "../graphql/error-mapping";
import { operationLabel } from "../graphql/operation-label";
import type { ServiceMetrics } from "../metrics/service-metrics";

/** Body-parser failures (too large, not JSON) answered in GraphQL's shape with the contract's code. */
export const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === "number" ? error.status : 0;
  if (status < 400 || status >= 500) return next(error);
  res.status(status).json({ errors: [{ message: status === 413 ? "Request body too large." : "Malformed request body.", extensions: { code: ErrorCode.BadUserInput } }] });
};

/**
 * Errors nobody raised on purpose, logged at error with the request they belong to (the
 * response only says "internal"). A request the GraphQL layer refused is the client's mistake:
 * a line at info, without a stack, so that a broken client never reads as a bug of ours.
 */
export const logUnexpectedErrors: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) {
          if (isUnexpected(error)) {
            contextValue.log.error({ err: error }, "request failed");
            continue;
          }
          const reason = clientInputCode(error);
          if (reason) contextValue.log.info({ reason, message: error.message.slice(0, 200) }, "request refused");
        }
      },
    };
  },
};

/** Every answered operation, counted by what it was and how it ended (the contract's code, or OK). */
export function operationMetrics(metrics: ServiceMetrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation }) {
          const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
          metrics.operation(operationLabel(operation), "http", errors?.length ? String(errors[0].extensions?.code ?? ErrorCode.InternalServerError) : "OK");
        },
      };
    },
  };
}
