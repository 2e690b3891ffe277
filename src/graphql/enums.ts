import { registerEnumType } from "type-graphql";

export enum RoleEnum {
  USER = "USER",
  ADMIN = "ADMIN",
}
registerEnumType(RoleEnum, { name: "Role" });

export enum RevocationReasonEnum {
  LOGOUT = "LOGOUT",
  TERMINATED = "TERMINATED",
  TERMINATED_OTHERS = "TERMINATED_OTHERS",
  PASSWORD_CHANGED = "PASSWORD_CHANGED",
  ADMIN_LOGOUT = "ADMIN_LOGOUT",
  REFRESH_TOKEN_REUSE = "REFRESH_TOKEN_REUSE",
  EXPIRED = "EXPIRED",
}
registerEnumType(RevocationReasonEnum, {
  name: "RevocationReason",
  valuesConfig: {
    LOGOUT: { description: "The device logged itself out (logout, or terminateSession on its own session)." },
    TERMINATED: { description: "Ended from another of the user's sessions with terminateSession." },
    TERMINATED_OTHERS: { description: "Ended from another of the user's sessions with terminateOtherSessions." },
    PASSWORD_CHANGED: { description: "Ended because the user changed the password from another session." },
    ADMIN_LOGOUT: { description: "Ended by an administrator with adminLogoutUser." },
    REFRESH_TOKEN_REUSE: { description: "A refresh token of this session was used again after it had been rotated (theft detection)." },
    EXPIRED: { description: "The session reached its expiry without being refreshed." },
  },
});
