import type { ReactNode } from "react";
import { useMutation } from "urql";
import { session } from "../api";
import { graphql } from "../gql";

const LogOutMutation = graphql(`
  mutation LogOut {
    logout
  }
`);

/** Who is signed in, where else to go, and "Log out" (which ends this session on the server first). */
export function TopBar(props: { email: string; children?: ReactNode }) {
  const [, logout] = useMutation(LogOutMutation);
  async function logOut() {
    await logout({});
    session.ended("LOGOUT");
  }
  return (
    <header className="topbar">
      <span className="who">{props.email}</span>
      <nav>{props.children}</nav>
      <button type="button" className="secondary" onClick={logOut}>
        Log out
      </button>
    </header>
  );
}
