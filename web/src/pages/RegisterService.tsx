import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { errorMessage } from "../api";
import { graphql } from "../gql";
import type { Credentials } from "./ServiceCredentials";

const RegisterServiceMutation = graphql(`
  mutation RegisterService($name: String!) {
    createSignalReceiver(name: $name) {
      clientSecret
      receiver {
        ...ConnectedServiceFields
      }
    }
  }
`);

/** Registers a service to receive security events: its client ID and secret come back, the secret this once. */
export function RegisterService(props: { onRegistered: (credentials: Credentials) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, register] = useMutation(RegisterServiceMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await register({ name });
    if (!result.data) return setError(errorMessage(result.error));
    const { receiver, clientSecret } = result.data.createSignalReceiver;
    setError(null);
    setName("");
    props.onRegistered({ name: receiver.name, clientId: receiver.clientId, clientSecret });
  }

  return (
    <form onSubmit={submit} className="rename" aria-labelledby="register-title">
      <h3 id="register-title" className="form-title">
        Register a service
      </h3>
      <label>
        Service name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. Payments gateway" />
      </label>
      <button type="submit" disabled={fetching}>
        Register
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
