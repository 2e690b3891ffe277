import { SIGNED_OUT_BECAUSE } from "../describe";

/** What the page shows the moment this device's session ends, whatever ended it. */
export function SignedOut(props: { reason: string; onLogInAgain: () => void }) {
  return (
    <main className="narrow">
      <section className="card stack" aria-labelledby="signed-out-title">
        <h1 id="signed-out-title">You have been signed out</h1>
        <p>{SIGNED_OUT_BECAUSE[props.reason] ?? SIGNED_OUT_BECAUSE.REFRESH_REFUSED}</p>
        <div className="actions">
          <button type="button" onClick={props.onLogInAgain}>
            Log in again
          </button>
        </div>
      </section>
    </main>
  );
}
