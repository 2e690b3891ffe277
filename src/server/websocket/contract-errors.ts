import type { GraphQLError, GraphQLFormattedError } from "graphql";
import { ErrorCode, toContractError } from "../../graphql/error-mapping";
import type { Logger } from "../../logging/logger";

/**
 * The same way out for errors as over HTTP. graphql-js reports a variable that does not fit its
 * type without a code (Apollo adds BAD_USER_INPUT over HTTP): such request errors have no path.
 */
export function contractErrors(errors: readonly GraphQLError[], log: Logger): GraphQLFormattedError[] {
  return errors.map((error) => {
    const requestError = !error.path && error.extensions?.code === undefined;
    const formatted = error.toJSON();
    const tagged = requestError ? { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BadUserInput } } : formatted;
    return toContractError(tagged, error, (e) => log.error({ err: e }, "operation failed"));
  });
}
