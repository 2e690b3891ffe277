import { Matches, MaxLength, MinLength } from "class-validator";
import { ArgsType, Field, ID } from "type-graphql";
import { UUID_MESSAGE, UUID_PATTERN } from "../graphql/ids";

@ArgsType()
export class CreateSignalReceiverArgs {
  @Field()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}

@ArgsType()
export class SignalReceiverIdArgs {
  @Field(() => ID)
  @Matches(UUID_PATTERN, { message: `id ${UUID_MESSAGE}` })
  id!: string;
}
