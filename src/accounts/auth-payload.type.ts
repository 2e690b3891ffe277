import { Field, ObjectType } from "type-graphql";
import { SessionType } from "../sessions/session.type";
import type { SignedIn } from "./account-service";
import { UserType } from "./user.type";

@ObjectType("AuthPayload")
export class AuthPayload {
  @Field()
  accessToken!: string;

  @Field()
  accessTokenExpiresAt!: Date;

  @Field()
  refreshToken!: string;

  @Field()
  refreshTokenExpiresAt!: Date;

  @Field(() => UserType)
  user!: UserType;

  @Field(() => SessionType)
  session!: SessionType;

  @Field({ description: "Keep it on this device and send it with later logins: it lets this device in while its network is locked by others' failures." })
  deviceToken!: string;

  static from(signedIn: SignedIn): AuthPayload {
    return Object.assign(new AuthPayload(), {
      accessToken: signedIn.accessToken,
      accessTokenExpiresAt: signedIn.accessTokenExpiresAt,
      refreshToken: signedIn.refreshToken,
      refreshTokenExpiresAt: signedIn.refreshTokenExpiresAt,
      user: UserType.from(signedIn.user),
      session: SessionType.from(signedIn.session, signedIn.session.id),
      deviceToken: signedIn.deviceToken,
    });
  }
}
