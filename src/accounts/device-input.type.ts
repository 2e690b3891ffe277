import { Field, InputType } from "type-graphql";

// Lengths and characters are checked by the domain (domain/device-input.ts), which names the
// field in its error; GraphQL only carries the strings.
@InputType("DeviceInput", { description: "What an app says of the device it runs on, sent with signUp and login. It wins over the user agent." })
export class DeviceInputType {
  @Field(() => String, { nullable: true, description: "A name the user gives this device, e.g. \"Alice's iPhone\" (1–64 characters after trimming)." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "For native apps whose user agent does not say it: the app's name and version, e.g. \"Acme\" and \"3.2.1\"." })
  appName?: string | null;

  @Field(() => String, { nullable: true })
  appVersion?: string | null;
}
