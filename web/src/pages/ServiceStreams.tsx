import { DELIVERY_WORDS, eventNameOf, STREAM_STATUS_WORDS, timeAgo } from "../describe";
import type { ConnectedServiceFieldsFragment } from "../gql/graphql";

type Stream = ConnectedServiceFieldsFragment["streams"][number];

/** A connected service's streams: how each is delivered, and how delivery is going. */
export function ServiceStreams(props: { service: ConnectedServiceFieldsFragment; now: number }) {
  const { service, now } = props;
  if (service.streams.length === 0)
    return <p className="hint">No stream yet: the service creates one with its token, at /ssf/streams.</p>;
  return (
    <ul aria-label={`Streams of ${service.name}`} className="streams">
      {service.streams.map((s) => (
        <li key={s.id}>
          <StreamFacts stream={s} now={now} />
        </li>
      ))}
    </ul>
  );
}

function StreamFacts(props: { stream: Stream; now: number }) {
  const { stream: s, now } = props;
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>{STREAM_STATUS_WORDS[s.status] ?? s.status}</dd>
      </div>
      <div>
        <dt>Delivery</dt>
        <dd>{DELIVERY_WORDS[s.delivery] ?? s.delivery}</dd>
      </div>
      <div>
        <dt>Endpoint</dt>
        <dd>{s.endpointUrl ?? "poll"}</dd>
      </div>
      <div>
        <dt>Pending</dt>
        <dd>{s.pending}</dd>
      </div>
      <div>
        <dt>Last delivery</dt>
        <dd>{s.lastDeliveredAt ? <time dateTime={s.lastDeliveredAt}>{timeAgo(s.lastDeliveredAt, now)}</time> : "never"}</dd>
      </div>
      <div>
        <dt>Last error</dt>
        <dd className={s.lastError ? "error" : undefined}>{s.lastError ?? "none"}</dd>
      </div>
      <div>
        <dt>Events</dt>
        <dd>{s.eventsDelivered.map(eventNameOf).join(", ") || "none"}</dd>
      </div>
    </dl>
  );
}
