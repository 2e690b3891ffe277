import { Matches, MaxLength } from "class-validator";
import { ArgsType, Field, ID } from "type-graphql";
import { UUID_MESSAGE, UUID_PATTERN } from "../graphql/ids";

@ArgsType()
export class SessionIdArgs {
  @Field(() => ID)
  @Matches(UUID_PATTERN, { message: `sessionId ${UUID_MESSAGE}` })
  sessionId!: string;
}

@ArgsType()
export class RenameSessionArgs extends SessionIdArgs {
  // The length and the characters are checked by the domain (domain/device-input.ts), which
  // names the field; this bound only keeps an absurd string from being normalised at all.
  @Field()
  @MaxLength(1024)
  name!: string;
}
