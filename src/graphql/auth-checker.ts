import type { AuthChecker } from "type-graphql";
import { Forbidden, Unauthenticated } from "../domain/errors";
import type { RequestContext } from "./context";

/** @Authorized() needs an active session; @Authorized("ADMIN") also needs that role (read from the database). */
export const authChecker: AuthChecker<RequestContext> = ({ context }, roles) => {
  if (!context.caller) throw context.authFailure ?? new Unauthenticated();
  if (roles.length > 0 && !roles.includes(context.caller.role)) throw new Forbidden("Administrators only.");
  return true;
};
