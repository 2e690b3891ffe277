import type { AuthChecker } from "type-graphql";
import type { RequestContext } from "../context";
import { forbidden, serviceUnavailable, unauthenticated } from "../errors";

/** @Authorized() needs an active session; @Authorized("ADMIN") also needs that role (read from the database). */
export const authChecker: AuthChecker<RequestContext> = ({ context }, roles) => {
  if (!context.caller) throw context.authUnavailable ? serviceUnavailable() : unauthenticated();
  if (roles.length > 0 && !roles.includes(context.caller.role)) throw forbidden("Administrators only.");
  return true;
};
