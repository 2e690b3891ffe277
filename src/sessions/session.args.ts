import { Matches } from "class-validator";
import { ArgsType, Field, ID } from "type-graphql";
import { UUID_MESSAGE, UUID_PATTERN } from "../graphql/ids";

@ArgsType()
export class SessionIdArgs {
  @Field(() => ID)
  @Matches(UUID_PATTERN, { message: `sessionId ${UUID_MESSAGE}` })
  sessionId!: string;
}
