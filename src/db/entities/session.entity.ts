import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { ClientKind } from "../../domain/client-kind";
import type { EndReason } from "../../domain/end-reason";
import type { SessionSignal } from "../../domain/session-signal";

/**
 * One login from one device. Ending a session marks the row; it is never deleted on revocation,
 * nor when its user is deleted (no foreign key: the history outlives the account).
 */
@Entity({ name: "sessions" })
export class SessionEntity {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ name: "user_id", type: "uuid" })
  userId!: string;

  @Column({ name: "user_agent", type: "text" })
  userAgent!: string;

  @Column({ name: "device_type", type: "text" })
  deviceType!: string;

  @Column({ type: "text", nullable: true })
  os!: string | null;

  @Column({ type: "text" })
  browser!: string;

  @Column({ name: "browser_version", type: "text", nullable: true })
  browserVersion!: string | null;

  @Column({ name: "ip_address", type: "text" })
  ipAddress!: string;

  @Column({ type: "text", nullable: true })
  country!: string | null;

  @Column({ type: "text", nullable: true })
  region!: string | null;

  @Column({ type: "text", nullable: true })
  city!: string | null;

  @Column({ type: "text", nullable: true })
  timezone!: string | null;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @Column({ name: "last_active_at", type: "timestamptz" })
  lastActiveAt!: Date;

  @Column({ name: "expires_at", type: "timestamptz" })
  expiresAt!: Date;

  @Column({ name: "ended_at", type: "timestamptz", nullable: true })
  endedAt!: Date | null;

  @Column({ name: "end_reason", type: "text", nullable: true })
  endReason!: EndReason | null;

  /** Who ended it, when it was a person (the user themself or an administrator). */
  @Column({ name: "ended_by", type: "uuid", nullable: true })
  endedBy!: string | null;

  /** The name the user gave this device; null until they give one. */
  @Column({ type: "text", nullable: true })
  name!: string | null;

  @Column({ type: "text" })
  client!: ClientKind;

  /** Why it looked unfamiliar when it started (see domain/session-signal.ts). */
  @Column({ type: "text", array: true })
  signals!: SessionSignal[];
}
