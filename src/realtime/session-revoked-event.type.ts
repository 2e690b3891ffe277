import { Field, ID, ObjectType } from "type-graphql";
import type { EndReason } from "../domain/end-reason";
import { RevocationReasonEnum } from "../graphql/enums";
import type { SessionEnded } from "../domain/session-ended";

@ObjectType("SessionRevokedEvent")
export class SessionRevokedEvent {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => RevocationReasonEnum)
  reason!: EndReason;

  @Field()
  revokedAt!: Date;

  static from(event: SessionEnded): SessionRevokedEvent {
    return Object.assign(new SessionRevokedEvent(), { sessionId: event.sessionId, reason: event.reason, revokedAt: event.endedAt });
  }
}
