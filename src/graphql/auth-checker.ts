import type { AuthChecker } from "type-graphql";
import { Forbidden, Unauthenticated } from "../domain/errors";
import type { Caller } from "../domain/caller";
import type { RequestContext } from "./context";

/**
 * What @Authorized() checks, for a resolver that checks it itself: type-graphql runs its auth
 * check as an asynchronous middleware, which the hottest query (`me`) need not wait on.
 */
export function authorizedCaller(context: RequestContext): Caller {
  if (!context.caller) throw context.authFailure ?? new Unauthenticated();
  return context.caller;
}

/** @Authorized() needs an active session; @Authorized("ADMIN") also needs that role (read from the database). */
export const authChecker: AuthChecker<RequestContext> = ({ context }, roles) => {
  const caller = authorizedCaller(context);
  if (roles.length > 0 && !roles.includes(caller.role)) throw new Forbidden("Administrators only.");
  return true;
};
