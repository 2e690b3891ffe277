import type { SignedOut as Ending } from "@session-service/client";
import { ENDED_WITHOUT_REASON, SIGNED_OUT_BECAUSE } from "../describe";

/** What the page shows the moment this device's session ends, whatever ended it and however the page learned it. */
export function SignedOut(props: { signedOut: Ending; onLogInAgain: () => void }) {
  const { reason, endedAt } = props.signedOut;
  return (
    <main className="narrow">
      <section className="card stack" aria-labelledby="signed-out-title">
        <h1 id="signed-out-title">You have been signed out</h1>
        <p>{(reason && SIGNED_OUT_BECAUSE[reason]) ?? ENDED_WITHOUT_REASON}</p>
        {endedAt && <p className="hint">Ended {new Date(endedAt).toLocaleString()}.</p>}
        <div className="actions">
          <button type="button" onClick={props.onLogInAgain}>
            Log in again
          </button>
        </div>
      </section>
    </main>
  );
}
