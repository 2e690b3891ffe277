import { Matches, Max, Min } from "class-validator";
import { ArgsType, Field, ID, Int } from "type-graphql";
import type { ActivityKind } from "../domain/activity-kind";
import { ActivityKindEnum } from "../graphql/enums";
import { UUID_MESSAGE, UUID_PATTERN } from "../graphql/ids";

@ArgsType()
export class ActivityArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @Min(1)
  @Max(200)
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => [ActivityKindEnum], { nullable: true })
  kinds?: ActivityKind[] | null;
}

// Not an extension of ActivityArgs: the contract lists userId first.
@ArgsType()
export class UserActivityArgs {
  @Field(() => ID)
  @Matches(UUID_PATTERN, { message: `userId ${UUID_MESSAGE}` })
  userId!: string;

  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @Min(1)
  @Max(200)
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => [ActivityKindEnum], { nullable: true })
  kinds?: ActivityKind[] | null;
}
