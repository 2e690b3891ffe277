import { Field, ID, ObjectType } from "type-graphql";
import type { SessionEntity } from "../db/entities/session.entity";
import type { ListedSession } from "./session-store";
import type { SessionSignal } from "../domain/session-signal";
import type { ClientKind } from "../domain/client-kind";
import { ClientKindEnum, SessionSignalEnum } from "../graphql/enums";

// simpleResolvers: no field of these types has a rule of its own, so graphql-js reads the
// properties directly instead of through type-graphql's per-field middleware chain.
@ObjectType("Location", { simpleResolvers: true, description: "Where an IP address is, from the GeoIP database. Any part may be unknown." })
export class LocationType {
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code, e.g. "GB".' })
  country!: string | null;

  @Field(() => String, { nullable: true, description: 'Region / subdivision code, e.g. "ENG".' })
  region!: string | null;

  @Field(() => String, { nullable: true })
  city!: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. "Europe/London".' })
  timezone!: string | null;

  /** The stored parts as a location; null when none is known (private, loopback, unknown addresses). */
  static of(parts: { country: string | null; region: string | null; city: string | null; timezone: string | null }): LocationType | null {
    const { country, region, city, timezone } = parts;
    if ([country, region, city, timezone].every((part) => part === null)) return null;
    return Object.assign(new LocationType(), { country, region, city, timezone });
  }
}

@ObjectType("Session", { simpleResolvers: true })
export class SessionType {
  @Field(() => ID)
  id!: string;

  @Field({ description: "Operating system family as shown to users: Macintosh, Windows, Linux, iOS, Android, Chrome OS, another OS name, or Unknown." })
  deviceType!: string;

  @Field(() => String, { nullable: true, description: 'OS name and version as parsed from the user agent, e.g. "Mac OS 10.15.7"; null when unknown.' })
  os!: string | null;

  @Field({ description: "Browser (or app) name: Chrome, Firefox, Safari, Edge, ..., or Unknown." })
  browser!: string;

  @Field(() => String, { nullable: true })
  browserVersion!: string | null;

  @Field()
  userAgent!: string;

  @Field()
  ipAddress!: string;

  @Field(() => LocationType, { nullable: true, description: "Null when the IP address has no geographic data (private ranges, VPNs, unknown)." })
  location!: LocationType | null;

  @Field()
  createdAt!: Date;

  @Field()
  lastActiveAt!: Date;

  @Field({ description: "When the session ends unless it is refreshed before then." })
  expiresAt!: Date;

  @Field({ description: "True for the session that the caller's own access token belongs to." })
  isCurrent!: boolean;

  @Field(() => [SessionSignalEnum], { description: "Why this session looked unfamiliar when it started; computed once, at login or sign-up." })
  signals!: SessionSignal[];

  @Field(() => String, { nullable: true, description: "The name the user gave this device, or null." })
  name!: string | null;

  @Field(() => ClientKindEnum, { description: "BROWSER for a web browser, APP for a native or desktop app, OTHER for scripts and command-line tools." })
  client!: ClientKind;

  /** A session as listed (see session-store's listActiveSessions), for the caller whose session is `currentSessionId`. */
  static listed(s: ListedSession, currentSessionId: string | null): SessionType {
    // Its own copy, one shape for every view, so that graphql-js's property reads stay fast;
    // views are built once per list held (see the session resolver), not per request.
    return Object.assign(new SessionType(), s, { isCurrent: s.id === currentSessionId });
  }

  static from(s: SessionEntity, currentSessionId: string | null): SessionType {
    return Object.assign(new SessionType(), {
      id: s.id,
      deviceType: s.deviceType,
      os: s.os,
      browser: s.browser,
      browserVersion: s.browserVersion,
      userAgent: s.userAgent,
      ipAddress: s.ipAddress,
      location: LocationType.of(s),
      createdAt: s.createdAt,
      lastActiveAt: s.lastActiveAt,
      expiresAt: s.expiresAt,
      isCurrent: s.id === currentSessionId,
      signals: s.signals,
      name: s.name,
      client: s.client,
    });
  }
}
