import { placeOf, relativeTime, type Place } from "../describe";

/** Where a session is and when it expires unless refreshed: the facts each sessions list shows. */
export function SessionFacts(props: { session: { ipAddress: string; location?: Place | null; expiresAt: string }; now: number }) {
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
        <dt>Expires</dt>
        <dd>{relativeTime(session.expiresAt, now)}</dd>
      </div>
    </dl>
  );
}
