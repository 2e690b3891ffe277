import { useState, type ReactNode } from "react";
import { sessionClient, thrownMessage } from "../api";

/**
 * Who is signed in, where else to go, and "Log out", which ends this session on the server first:
 * while the server cannot be reached the page stays signed in and says so, since dropping the
 * tokens here would leave the session alive on the server, listed and usable, with no way to end
 * it from this device.
 */
export function TopBar(props: { email: string; children?: ReactNode }) {
  const [fetching, setFetching] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  async function logOut() {
    setFailure(null);
    setFetching(true);
    try {
      await sessionClient.logout();
    } catch (caught) {
      setFailure(`You are still signed in. ${thrownMessage(caught)}`);
      setFetching(false);
    }
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
