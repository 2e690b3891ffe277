import { useEffect, useState, useSyncExternalStore } from "react";
import { Provider, useSubscription } from "urql";
import { client, session } from "./api";
import { graphql } from "./gql";
import { Account } from "./pages/Account";
import { Admin } from "./pages/Admin";
import { SignedOut } from "./pages/SignedOut";
import { SignIn } from "./pages/SignIn";
import type { SignedOutReason } from "./session";

const RevocationSubscription = graphql(`
  subscription Revocation {
    sessionRevoked {
      sessionId
      reason
    }
  }
`);

/** While signed in: the moment the server says this device's session ended, drop its tokens. */
function RevocationWatcher() {
  useSubscription({ query: RevocationSubscription }, (_previous, event) => {
    session.ended(event.sessionRevoked.reason as SignedOutReason);
    return event;
  });
  return null;
}

export function App() {
  const state = useSyncExternalStore(session.subscribe, () => session.state);
  const [dismissed, setDismissed] = useState(false);

  useEffect(() => {
    void session.start();
  }, []);
  useEffect(() => {
    if (state.status === "signed-in") setDismissed(false);
  }, [state.status]);

  let page;
  if (state.status === "starting") page = <main className="narrow"><p>Loading…</p></main>;
  else if (state.status === "signed-out") page = state.reason && !dismissed ? <SignedOut reason={state.reason} onLogInAgain={() => setDismissed(true)} /> : <SignIn />;
  else
    page = (
      <>
        <RevocationWatcher />
        {location.pathname.startsWith("/admin") ? <Admin /> : <Account />}
      </>
    );
  return <Provider value={client}>{page}</Provider>;
}
