import { Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { ActivityKind } from "../domain/activity-kind";
import { NotFound } from "../domain/errors";
import type { RequestContext } from "../graphql/context";
import type { AccountService } from "./account-service";
import { decodeCursor, encodeCursor } from "./activity-cursor";
import { ActivityArgs, UserActivityArgs } from "./activity.args";
import { ActivityEntryType, ActivityPageType } from "./activity.type";
import { UserType } from "./user.type";

interface PageArgs {
  first: number;
  after?: string | null;
  kinds?: ActivityKind[] | null;
}

/** The account activity trail: the caller's own, or (administrators) anyone's, newest first. */
@Resolver()
export class ActivityResolver {
  constructor(private readonly accounts: AccountService) {}

  @Authorized()
  @Query(() => ActivityPageType, { description: "The caller's own account activity, newest first." })
  myActivity(@Args() args: ActivityArgs, @Ctx() ctx: RequestContext): Promise<ActivityPageType> {
    return this.page(ctx.caller!.userId, args, false);
  }

  @Authorized("ADMIN")
  @Query(() => ActivityPageType, { description: "ADMIN only: a user's account activity, newest first." })
  async userActivity(@Args() { userId, ...args }: UserActivityArgs): Promise<ActivityPageType> {
    if (!(await this.accounts.findUser(userId))) throw new NotFound("User");
    return this.page(userId, args, true);
  }

  private async page(userId: string, args: PageArgs, withActors: boolean): Promise<ActivityPageType> {
    const after = args.after ? decodeCursor(args.after) : undefined;
    const { rows, hasNextPage } = await this.accounts.activity(userId, { first: args.first, after, kinds: args.kinds ?? undefined });
    // Administrators see who did it; users see that an administrator did, not which one.
    const actors = new Map<string, UserType | null>();
    for (const id of withActors ? new Set(rows.map((r) => r.actorId).filter((a): a is string => a !== null)) : []) {
      const actor = await this.accounts.findUser(id);
      actors.set(id, actor ? UserType.from(actor) : null);
    }
    const last = rows[rows.length - 1];
    return Object.assign(new ActivityPageType(), {
      nodes: rows.map((row) => ActivityEntryType.from(row, row.actorId ? (actors.get(row.actorId) ?? null) : null)),
      pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last.atText, last.id) : null },
    });
  }
}
