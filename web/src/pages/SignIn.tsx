import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { errorMessage, session } from "../api";
import { deviceTokenFor, rememberDeviceToken } from "../device-tokens";
import { graphql } from "../gql";

const LogInMutation = graphql(`
  mutation LogIn($email: String!, $password: String!, $deviceToken: String) {
    login(email: $email, password: $password, deviceToken: $deviceToken) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      deviceToken
      user {
        email
      }
    }
  }
`);

const SignUpMutation = graphql(`
  mutation SignUpAccount($email: String!, $password: String!) {
    signUp(email: $email, password: $password) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      deviceToken
      user {
        email
      }
    }
  }
`);

/** Log in, or sign up with the same two fields. */
export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [loggingIn, login] = useMutation(LogInMutation);
  const [signingUp, signUp] = useMutation(SignUpMutation);
  const [error, setError] = useState<string | null>(null);
  const busy = loggingIn.fetching || signingUp.fetching;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const asNew = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "signup";
    const result = asNew ? await signUp({ email, password }) : await login({ email, password, deviceToken: deviceTokenFor(email) });
    const tokens = result.data && ("signUp" in result.data ? result.data.signUp : result.data.login);
    if (tokens) {
      rememberDeviceToken(tokens.user.email, tokens.deviceToken);
      session.signedIn(tokens);
    } else setError(errorMessage(result.error));
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
