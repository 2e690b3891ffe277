import { SessionProvider, useSession } from "@session-service/client/react";
import { useEffect, useState } from "react";
import { Provider } from "urql";
import { client, sessionClient } from "./api";
import { Account } from "./pages/Account";
import { Admin } from "./pages/Admin";
import { SignedOut } from "./pages/SignedOut";
import { SignIn } from "./pages/SignIn";

function Pages() {
  const { status, signedOut } = useSession();
  const [dismissed, setDismissed] = useState(false);

  useEffect(() => {
    void sessionClient.restore();
  }, []);
  useEffect(() => {
    if (status === "signed-in") setDismissed(false);
  }, [status]);

  if (status === "starting") return <main className="narrow"><p>Loading…</p></main>;
  // Logging out here goes straight back to the sign-in form; any other ending says why first.
  if (status === "signed-out") return signedOut && signedOut.reason !== "LOGOUT" && !dismissed ? <SignedOut signedOut={signedOut} onLogInAgain={() => setDismissed(true)} /> : <SignIn />;
  return location.pathname.startsWith("/admin") ? <Admin /> : <Account />;
}

export function App() {
  return (
    <SessionProvider client={sessionClient}>
      <Provider value={client}>
        <Pages />
      </Provider>
    </SessionProvider>
  );
}
