import { useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useSession } from "@session-service/client/react";
import { errorMessage } from "../api";
import { timeAgo } from "../describe";
import { graphql } from "../gql";
import type { ConnectedServiceFieldsFragment } from "../gql/graphql";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { useNow } from "../ui/useNow";
import { RegisterService } from "./RegisterService";
import { ServiceCredentials, type Credentials } from "./ServiceCredentials";
import { ServiceStreams } from "./ServiceStreams";

graphql(`
  fragment ConnectedServiceFields on SignalReceiver {
    id
    name
    clientId
    createdAt
    streams {
      id
      status
      delivery
      endpointUrl
      eventsDelivered
      pending
      lastDeliveredAt
      lastError
    }
  }
`);

const ConnectedServicesQuery = graphql(`
  query ConnectedServices {
    signalReceivers {
      ...ConnectedServiceFields
    }
  }
`);

const RemoveServiceMutation = graphql(`
  mutation RemoveService($id: ID!) {
    deleteSignalReceiver(id: $id)
  }
`);

/** The services that receive this service's security events (the Shared Signals transmitter's receivers), for administrators. */
export function ConnectedServices() {
  const now = useNow();
  const [{ data, error, fetching }, reload] = useQuery({ query: ConnectedServicesQuery, requestPolicy: "network-only" });
  const [, removeService] = useMutation(RemoveServiceMutation);
  const [created, setCreated] = useState<Credentials | null>(null);
  const [confirming, setConfirming] = useState<ConnectedServiceFieldsFragment | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const { reconnects } = useSession().live;
  const reread = () => reload({ requestPolicy: "network-only" });

  useEffect(() => {
    if (reconnects > 0) reload({ requestPolicy: "network-only" });
  }, [reconnects, reload]);

  async function remove(service: ConnectedServiceFieldsFragment) {
    setConfirming(null);
    const result = await removeService({ id: service.id });
    if (result.data) setOutcome({ ok: true, text: `${service.name} was deleted: its streams stopped and its credentials no longer work.` });
    else setOutcome({ ok: false, text: errorMessage(result.error) ?? "" });
    reread();
  }

  return (
    <section aria-labelledby="services-title" className="card stack">
      <div className="section-head">
        <h2 id="services-title">Connected services</h2>
        <button type="button" className="secondary" disabled={fetching} onClick={reread}>
          Reload
        </button>
      </div>
      <p className="hint">
        Services that receive this service's security events (a session revoked, a credential changed, a session established) as OpenID Shared Signals, pushed to
        them or polled by them.
      </p>
      {error && (
        <p role="alert" className="error">
          {errorMessage(error)}
        </p>
      )}
      <div role="status" className={outcome?.ok === false ? "error" : "ok"}>
        {outcome?.text}
      </div>
      {data && data.signalReceivers.length === 0 && (
        <p>
          No connected services yet. Register one below and give its operators the client ID and secret: the service then creates its own stream. How, and what each
          event says: <code>docs/signals.md</code>.
        </p>
      )}
      <ul aria-label="Connected services" className="services">
        {data?.signalReceivers.map((s) => (
          <li key={s.id} className="service">
            <div className="section-head">
              <h3>{s.name}</h3>
              <button type="button" className="danger" aria-label={`Delete ${s.name}`} onClick={() => setConfirming(s)}>
                Delete
              </button>
            </div>
            <dl className="facts">
              <div>
                <dt>Client ID</dt>
                <dd>
                  <code>{s.clientId}</code>
                </dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>
                  <time dateTime={s.createdAt}>{timeAgo(s.createdAt, now)}</time>
                </dd>
              </div>
            </dl>
            <ServiceStreams service={s} now={now} />
          </li>
        ))}
      </ul>
      <RegisterService
        onRegistered={(credentials) => {
          setOutcome(null);
          setCreated(credentials);
          reread();
        }}
      />
      {created && <ServiceCredentials credentials={created} onDone={() => setCreated(null)} />}
      <ConfirmDialog open={confirming !== null} title={`Delete ${confirming?.name ?? ""}?`} onConfirm={() => confirming && remove(confirming)} onCancel={() => setConfirming(null)}>
        <p>Its streams stop at once, events not yet delivered are dropped, and its client ID and secret stop working.</p>
      </ConfirmDialog>
    </section>
  );
}
