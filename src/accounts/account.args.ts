import { MaxLength } from "class-validator";
import { ArgsType, Field } from "type-graphql";
import { DeviceInputType } from "./device-input.type";

@ArgsType()
export class CredentialsArgs {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@ArgsType()
export class SignUpArgs extends CredentialsArgs {
  @Field(() => DeviceInputType, { nullable: true })
  device?: DeviceInputType | null;
}

@ArgsType()
export class LoginArgs extends CredentialsArgs {
  // Ours are 43 characters; anything much longer is not one, and is not worth hashing.
  @Field({ nullable: true })
  @MaxLength(512)
  deviceToken?: string;

  @Field(() => DeviceInputType, { nullable: true })
  device?: DeviceInputType | null;
}

@ArgsType()
export class RefreshArgs {
  @Field()
  @MaxLength(512)
  refreshToken!: string;
}

@ArgsType()
export class ChangePasswordArgs {
  @Field()
  currentPassword!: string;

  @Field()
  newPassword!: string;
}
