import { useState, type ReactNode } from "react";
import { useMutation } from "urql";
import { errorCode, errorMessage, session } from "../api";
import { graphql } from "../gql";

const LogOutMutation = graphql(`
  mutation LogOut {
    logout
  }
`);

/**
 * Who is signed in, where else to go, and "Log out", which ends this session on the server first:
 * while the server cannot be reached the page stays signed in and says so, since dropping the
 * tokens here would leave the session alive on the server, listed and usable, with no way to end
 * it from this device.
 */
export function TopBar(props: { email: string; children?: ReactNode }) {
  const [{ fetching }, logout] = useMutation(LogOutMutation);
  const [failure, setFailure] = useState<string | null>(null);
  async function logOut() {
    setFailure(null);
    const result = await logout({});
    // UNAUTHENTICATED: the session had already ended; there is nothing left to end.
    if (result.data || errorCode(result.error) === "UNAUTHENTICATED") session.ended("LOGOUT");
    else setFailure(`You are still signed in. ${errorMessage(result.error)}`);
  }
  return (
    <header className="topbar">
      <span className="who">{props.email}</span>
      <nav>{props.children}</nav>
      {failure && (
        <span role="alert" className="error">
          {failure}
        </span>
      )}
      <button type="button" className="secondary" disabled={fetching} onClick={logOut}>
        Log out
      </button>
    </header>
  );
}
