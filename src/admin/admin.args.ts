import { Matches, Max, MaxLength, Min } from "class-validator";
import { ArgsType, Field, ID, Int } from "type-graphql";
import { UUID_MESSAGE, UUID_PATTERN } from "../graphql/ids";

@ArgsType()
export class UserIdArgs {
  @Field(() => ID)
  @Matches(UUID_PATTERN, { message: `userId ${UUID_MESSAGE}` })
  userId!: string;
}

@ArgsType()
export class UsersArgs {
  @Field(() => String, { nullable: true })
  @MaxLength(254)
  // PostgreSQL text cannot hold a NUL: refused here as input, not failed there as a query.
  @Matches(/^[^\u0000]*$/, { message: "emailContains must not contain NUL characters" })
  emailContains?: string;

  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @Min(1)
  @Max(200)
  limit!: number;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  @Min(0)
  offset!: number;
}
