import { lastActive, placeOf, timeAhead, type Place } from "../describe";

/** Where a session is, when it was last used, and when it expires unless refreshed: the facts each sessions list shows. */
export function SessionFacts(props: { session: { ipAddress: string; location?: Place | null; lastActiveAt: string; expiresAt: string }; now: number }) {
  const { session, now } = props;
  return (
    <dl className="facts">
      <div>
        <dt>Location</dt>
        <dd>{placeOf(session.location)}</dd>
      </div>
      <div>
        <dt>IP address</dt>
        <dd>{session.ipAddress}</dd>
      </div>
      <div>
        <dt>Last active</dt>
        <dd>{lastActive(session.lastActiveAt, now)}</dd>
      </div>
      <div>
        <dt>Expires</dt>
        <dd>{timeAhead(session.expiresAt, now)}</dd>
      </div>
    </dl>
  );
}
