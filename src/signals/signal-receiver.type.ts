import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import type { SignalReceiverRow } from "./receivers";
import { EVENT_TYPES } from "./security-events";
import type { StreamRow } from "./streams";

export enum SignalStreamStatusEnum {
  ENABLED = "ENABLED",
  PAUSED = "PAUSED",
  DISABLED = "DISABLED",
}
registerEnumType(SignalStreamStatusEnum, { name: "SignalStreamStatus", description: "A stream's status (SSF 1.0): PAUSED holds events until enabled again; DISABLED drops them." });

export enum SignalDeliveryEnum {
  PUSH = "PUSH",
  POLL = "POLL",
}
registerEnumType(SignalDeliveryEnum, { name: "SignalDelivery", description: "PUSH: RFC 8935, to the receiver's endpoint. POLL: RFC 8936, the receiver asks." });

@ObjectType("SignalStream", { description: "A receiver's stream of security events (OpenID Shared Signals 1.0)." })
export class SignalStreamType {
  @Field(() => ID)
  id!: string;

  @Field(() => SignalStreamStatusEnum)
  status!: SignalStreamStatusEnum;

  @Field(() => SignalDeliveryEnum)
  delivery!: SignalDeliveryEnum;

  @Field(() => String, { nullable: true, description: "The receiver's push endpoint; null for poll." })
  endpointUrl!: string | null;

  @Field(() => [String], { description: "The event type URIs the stream delivers." })
  eventsDelivered!: string[];

  @Field(() => Int, { description: "Events not yet delivered (push) or not yet acknowledged (poll)." })
  pending!: number;

  @Field(() => Date, { nullable: true })
  lastDeliveredAt!: Date | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  static from(stream: StreamRow): SignalStreamType {
    return Object.assign(new SignalStreamType(), {
      id: stream.id,
      status: stream.status.toUpperCase() as SignalStreamStatusEnum,
      delivery: stream.delivery.toUpperCase() as SignalDeliveryEnum,
      endpointUrl: stream.endpointUrl,
      eventsDelivered: stream.eventsDelivered.map((kind) => EVENT_TYPES[kind]),
      pending: stream.pending,
      lastDeliveredAt: stream.lastDeliveredAt,
      lastError: stream.lastError,
    });
  }
}

@ObjectType("SignalReceiver", { description: "A service registered to receive security events." })
export class SignalReceiverType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: "Its OAuth client id at /oauth/token." })
  clientId!: string;

  @Field()
  createdAt!: Date;

  @Field(() => [SignalStreamType])
  streams!: SignalStreamType[];

  static from(receiver: SignalReceiverRow, streams: StreamRow[]): SignalReceiverType {
    return Object.assign(new SignalReceiverType(), {
      id: receiver.id,
      name: receiver.name,
      clientId: receiver.clientId,
      createdAt: receiver.createdAt,
      streams: streams.filter((s) => s.receiverId === receiver.id).map(SignalStreamType.from),
    });
  }
}

@ObjectType("SignalReceiverCreated")
export class SignalReceiverCreatedType {
  @Field(() => SignalReceiverType)
  receiver!: SignalReceiverType;

  @Field({ description: "Shown once; only its hash is kept." })
  clientSecret!: string;
}
