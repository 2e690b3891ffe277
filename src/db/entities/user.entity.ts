import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { Role } from "../../domain/role";

@Entity({ name: "users" })
export class UserEntity {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  /** Always trimmed and lower-cased before it is stored or looked up. */
  @Column({ type: "text", unique: true })
  email!: string;

  @Column({ name: "password_hash", type: "text" })
  passwordHash!: string;

  @Column({ type: "text" })
  role!: Role;

  /** Moves when logins in flight must not open a session any more (see the migration that adds it). */
  @Column({ name: "auth_epoch", type: "integer" })
  authEpoch!: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
