import { Field, ID, ObjectType } from "type-graphql";
import type { ActivityKind } from "../domain/activity-kind";
import type { EndReason } from "../domain/end-reason";
import type { SessionSignal } from "../domain/session-signal";
import { ActivityKindEnum, RevocationReasonEnum, SessionSignalEnum } from "../graphql/enums";
import { LocationType } from "../sessions/session.type";
import type { ActivityRow } from "./activity-store";
import { UserType } from "./user.type";

@ObjectType("ActivityEntry")
export class ActivityEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => ActivityKindEnum)
  kind!: ActivityKind;

  @Field()
  at!: Date;

  @Field(() => ID, { nullable: true })
  sessionId!: string | null;

  @Field(() => RevocationReasonEnum, { nullable: true, description: "For SESSION_ENDED." })
  reason!: EndReason | null;

  @Field({ description: "True when an administrator did it (ADMIN_LOGOUT, ROLE_CHANGED, terminateSession of another user's session)." })
  byAdministrator!: boolean;

  @Field(() => UserType, { nullable: true, description: "The administrator who did it; shown in userActivity only, null in myActivity." })
  actor!: UserType | null;

  @Field(() => String, { nullable: true })
  ipAddress!: string | null;

  @Field(() => String, { nullable: true })
  deviceType!: string | null;

  @Field(() => String, { nullable: true })
  browser!: string | null;

  @Field(() => LocationType, { nullable: true })
  location!: LocationType | null;

  @Field(() => [SessionSignalEnum], { description: "For LOGGED_IN and SIGNED_UP: why the session it opened looked unfamiliar (Session.signals)." })
  signals!: SessionSignal[];

  static from(row: ActivityRow, actor: UserType | null): ActivityEntryType {
    return Object.assign(new ActivityEntryType(), {
      id: row.id,
      kind: row.kind,
      at: row.at,
      sessionId: row.sessionId,
      reason: row.reason,
      byAdministrator: row.byAdministrator,
      actor,
      ipAddress: row.ipAddress,
      deviceType: row.deviceType,
      browser: row.browser,
      location: LocationType.of(row),
      signals: row.signals,
    });
  }
}

@ObjectType("PageInfo")
export class PageInfoType {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType("ActivityPage")
export class ActivityPageType {
  @Field(() => [ActivityEntryType])
  nodes!: ActivityEntryType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
