import { useState, type FormEvent } from "react";
import { sessionClient, thrownMessage } from "../api";

/** Log in, or sign up with the same two fields. */
export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The package keeps the tokens and this browser's device token for the account.
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const asNew = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "signup";
    setBusy(true);
    try {
      await (asNew ? sessionClient.signUp(email, password) : sessionClient.login(email, password));
    } catch (caught) {
      setError(thrownMessage(caught));
      setBusy(false);
    }
  }

  return (
    <main className="narrow">
      <h1>Sign in</h1>
      <form onSubmit={submit} className="card stack">
        <label>
          Email
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" value="login" disabled={busy}>
            Log in
          </button>
          <button type="submit" value="signup" className="secondary" disabled={busy}>
            Sign up
          </button>
        </div>
      </form>
    </main>
  );
}
