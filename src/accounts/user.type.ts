import { Field, ID, ObjectType } from "type-graphql";
import type { UserEntity } from "../db/entities/user.entity";
import type { Role } from "../domain/role";
import { RoleEnum } from "../graphql/enums";

/** A user as clients see it; the password hash has no field, so no query can reach it. */
@ObjectType("User")
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => RoleEnum)
  role!: Role;

  @Field()
  createdAt!: Date;

  static from(user: UserEntity): UserType {
    return Object.assign(new UserType(), { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt });
  }
}
