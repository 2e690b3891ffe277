import { Field, ID, ObjectType } from "type-graphql";
import { RevocationReasonEnum } from "../graphql/enums";
import type { RevocationEvent } from "../sessions/revocation-event";

@ObjectType("SessionRevokedEvent")
export class SessionRevokedEvent {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => RevocationReasonEnum)
  reason!: RevocationReasonEnum;

  @Field()
  revokedAt!: Date;

  static from(event: RevocationEvent): SessionRevokedEvent {
    return Object.assign(new SessionRevokedEvent(), {
      sessionId: event.sessionId,
      reason: event.reason as RevocationReasonEnum,
      revokedAt: event.revokedAt,
    });
  }
}
