import { useEffect, useRef } from "react";
import { CopyButton } from "../ui/CopyButton";

export interface Credentials {
  name: string;
  clientId: string;
  clientSecret: string;
}

/**
 * A new service's client id and secret, shown once: the server keeps only the secret's hash, so
 * this box (in this page's memory, gone on a reload) is the only place it can be read.
 */
export function ServiceCredentials(props: { credentials: Credentials; onDone: () => void }) {
  const { name, clientId, clientSecret } = props.credentials;
  const heading = useRef<HTMLHeadingElement>(null);
  const idText = useRef<HTMLElement>(null);
  const secretText = useRef<HTMLElement>(null);

  // Where a screen reader's user is taken, so they hear what appeared and the warning.
  useEffect(() => heading.current?.focus(), []);

  return (
    <section aria-labelledby="credentials-title" className="shown-once stack">
      <h3 id="credentials-title" ref={heading} tabIndex={-1}>
        Credentials for {name}
      </h3>
      <p className="warning">
        <strong>Copy the client secret now: it will not be shown again.</strong> Only its hash is kept. If it is lost, delete this service and register it again.
      </p>
      <dl className="credentials">
        <div>
          <dt>Client ID</dt>
          <dd>
            <code ref={idText}>{clientId}</code>
            <CopyButton text={clientId} label="Copy client ID" target={idText} />
          </dd>
        </div>
        <div>
          <dt>Client secret</dt>
          <dd>
            <code ref={secretText}>{clientSecret}</code>
            <CopyButton text={clientSecret} label="Copy client secret" target={secretText} />
          </dd>
        </div>
      </dl>
      <p className="hint">
        The service exchanges them at <code>/oauth/token</code> (client credentials) for a token, then creates its stream at <code>/ssf/streams</code>.
      </p>
      <div className="actions">
        <button type="button" onClick={props.onDone}>
          I have copied the secret
        </button>
      </div>
    </section>
  );
}
