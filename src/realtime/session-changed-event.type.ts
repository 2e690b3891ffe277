import { Field, ObjectType } from "type-graphql";
import type { EndReason } from "../domain/end-reason";
import type { SessionChange } from "../domain/session-signal";
import { RevocationReasonEnum, SessionChangeEnum } from "../graphql/enums";
import { SessionType } from "../sessions/session.type";
import type { SessionEntity } from "../db/entities/session.entity";
import type { SessionChangeEvent } from "../domain/session-change-event";

@ObjectType("SessionChangedEvent")
export class SessionChangedEventType {
  @Field(() => SessionChangeEnum)
  change!: SessionChange;

  @Field(() => SessionType, { description: "isCurrent is relative to the connection receiving the event." })
  session!: SessionType;

  @Field(() => RevocationReasonEnum, { nullable: true, description: "For ENDED: why." })
  reason!: EndReason | null;

  @Field()
  at!: Date;

  static from(event: SessionChangeEvent<SessionEntity>): SessionChangedEventType {
    return Object.assign(new SessionChangedEventType(), {
      change: event.change,
      session: SessionType.from(event.session, event.receiverSessionId),
      reason: event.reason,
      at: event.at,
    });
  }
}
