import { Field, ObjectType } from "type-graphql";
import { UserType } from "../accounts/user.type";
import type { SignedIn } from "../accounts/account-service";
import type { UserEntity } from "../db/entities/user.entity";
import type { IssuedTokens } from "../sessions/session-service";
import { SessionType } from "../sessions/session.type";

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

  static from(issued: IssuedTokens, user: UserEntity): AuthPayload {
    return Object.assign(new AuthPayload(), {
      accessToken: issued.accessToken,
      accessTokenExpiresAt: issued.accessTokenExpiresAt,
      refreshToken: issued.refreshToken,
      refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
      user: UserType.from(user),
      session: SessionType.from(issued.session, issued.session.id),
    });
  }

  static fromSignIn(signedIn: SignedIn): AuthPayload {
    return AuthPayload.from(signedIn, signedIn.user);
  }
}
