import { Args, Authorized, Mutation, Query, Resolver } from "type-graphql";
import { CreateSignalReceiverArgs, SignalReceiverIdArgs } from "./signal-receiver.args";
import { SignalReceiverCreatedType, SignalReceiverType } from "./signal-receiver.type";
import type { SignalTransmitter } from "./transmitter";

/** Administrators register and remove the services that receive security events. */
@Resolver()
export class SignalReceiverResolver {
  constructor(private readonly signals: SignalTransmitter) {}

  @Authorized("ADMIN")
  @Query(() => [SignalReceiverType], { description: "ADMIN only." })
  async signalReceivers(): Promise<SignalReceiverType[]> {
    const receivers = await this.signals.receivers.list();
    const streams = await this.signals.streams.ofReceivers(receivers.map((r) => r.id));
    return receivers.map((r) => SignalReceiverType.from(r, streams));
  }

  @Authorized("ADMIN")
  @Mutation(() => SignalReceiverCreatedType, { description: "ADMIN only: registers a service that will receive security events." })
  async createSignalReceiver(@Args() { name }: CreateSignalReceiverArgs): Promise<SignalReceiverCreatedType> {
    const { receiver, clientSecret } = await this.signals.receivers.create(name);
    return Object.assign(new SignalReceiverCreatedType(), { receiver: SignalReceiverType.from(receiver, []), clientSecret });
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean, { description: "ADMIN only: removes it, its streams and its credentials." })
  async deleteSignalReceiver(@Args() { id }: SignalReceiverIdArgs): Promise<boolean> {
    await this.signals.receivers.delete(id);
    return true;
  }
}
