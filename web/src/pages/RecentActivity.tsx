import { useEffect, useState } from "react";
import { useClient } from "urql";
import { errorMessage } from "../api";
import { ACTIVITY_WORDS, deviceOf, placeOf, REASON_WORDS, relativeTime } from "../describe";
import { graphql } from "../gql";
import type { ActivityEntryFieldsFragment } from "../gql/graphql";
import { SignalBadges } from "../ui/SignalBadges";
import { useNow } from "../ui/useNow";

// The one selection of an activity entry: these rows, and the tests' queries (test/operations/activity.graphql).
graphql(`
  fragment ActivityEntryFields on ActivityEntry {
    id
    kind
    at
    sessionId
    reason
    byAdministrator
    actor {
      id
      email
    }
    ipAddress
    deviceType
    browser
    location {
      country
      city
    }
    signals
  }
`);

const MyActivityQuery = graphql(`
  query MyRecentActivity($after: String) {
    myActivity(first: 20, after: $after) {
      nodes {
        ...ActivityEntryFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const UserActivityQuery = graphql(`
  query UserRecentActivity($userId: ID!, $after: String) {
    userActivity(userId: $userId, first: 20, after: $after) {
      nodes {
        ...ActivityEntryFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

interface Page {
  nodes: ActivityEntryFieldsFragment[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** The account's activity trail, newest first, a page at a time; a user's, for administrators. */
export function RecentActivity(props: { userId?: string }) {
  const client = useClient();
  const now = useNow(30_000);
  const [entries, setEntries] = useState<ActivityEntryFieldsFragment[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function load(after: string | null) {
    setLoading(true);
    const result = props.userId
      ? await client.query(UserActivityQuery, { userId: props.userId, after }, { requestPolicy: "network-only" }).toPromise()
      : await client.query(MyActivityQuery, { after }, { requestPolicy: "network-only" }).toPromise();
    setLoading(false);
    const page: Page | undefined = result.data && ("userActivity" in result.data ? result.data.userActivity : result.data.myActivity);
    if (!page) return setError(errorMessage(result.error));
    setEntries((list) => (after ? [...list, ...page.nodes] : page.nodes));
    setNext(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
  }

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.userId]);

  return (
    <section aria-labelledby="activity-title" className="stack">
      <h2 id="activity-title">Recent activity</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ol aria-label="Recent activity" className="activity">
        {entries.map((e) => (
          <li key={e.id}>
            <span className="what">
              {ACTIVITY_WORDS[e.kind] ?? e.kind}
              {e.reason ? ` (${REASON_WORDS[e.reason] ?? e.reason})` : ""}
              {e.byAdministrator ? (e.actor ? ` by ${e.actor.email}` : " by an administrator") : ""}
            </span>
            <SignalBadges signals={e.signals} />
            <span className="when">
              <time dateTime={e.at}>{relativeTime(e.at, now)}</time>
            </span>
            <span className="where">
              {[e.browser && e.deviceType ? deviceOf({ browser: e.browser, deviceType: e.deviceType }) : null, e.ipAddress, e.location ? placeOf(e.location) : null].filter(Boolean).join(" · ")}
            </span>
          </li>
        ))}
      </ol>
      {next && (
        <div className="actions">
          <button type="button" className="secondary" disabled={loading} onClick={() => load(next)}>
            Load more
          </button>
        </div>
      )}
    </section>
  );
}
