import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import { errorMessage } from "../api";
import { deviceOf } from "../describe";
import { graphql } from "../gql";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { LiveNotice } from "../ui/LiveNotice";
import { SessionFacts } from "../ui/SessionFacts";
import { TopBar } from "../ui/TopBar";
import { useSession } from "@session-service/client/react";
import { useNow } from "../ui/useNow";
import { ConnectedServices } from "./ConnectedServices";
import { RecentActivity } from "./RecentActivity";

const WhoAmIQuery = graphql(`
  query WhoAmI {
    me {
      id
      email
      role
    }
  }
`);

const FindUsersQuery = graphql(`
  query FindUsers($emailContains: String) {
    users(emailContains: $emailContains, limit: 20) {
      id
      email
      role
    }
  }
`);

const UserSessionsQuery = graphql(`
  query SessionsOfUser($userId: ID!) {
    userSessions(userId: $userId) {
      ...SessionRow
    }
  }
`);

const AdminLogoutMutation = graphql(`
  mutation LogOutUser($userId: ID!) {
    adminLogoutUser(userId: $userId)
  }
`);

interface Picked {
  id: string;
  email: string;
  role: string;
}

/** The admin pages: find a user, see their sessions and activity, log them out everywhere; the services told of security events. */
export function Admin() {
  const [{ data, error }] = useQuery({ query: WhoAmIQuery, requestPolicy: "network-only" });
  const [search, setSearch] = useState("");
  const [picked, setPicked] = useState<Picked | null>(null);
  const [{ data: found }, reloadUsers] = useQuery({ query: FindUsersQuery, variables: { emailContains: search || null }, pause: data?.me.role !== "ADMIN", requestPolicy: "network-only" });

  const { reconnects } = useSession().live;
  // Back from a cut: users may have come and gone meanwhile.
  useEffect(() => {
    if (reconnects > 0 && data?.me.role === "ADMIN") reloadUsers({ requestPolicy: "network-only" });
  }, [reconnects, reloadUsers, data?.me.role]);

  if (error && !data) return <main className="wide"><p role="alert" className="error">{errorMessage(error)}</p></main>;
  if (!data) return <main className="wide"><p>Loading…</p></main>;

  const header = (
    <TopBar email={data.me.email}>
      <a href="/">My sessions</a>
    </TopBar>
  );

  if (data.me.role !== "ADMIN") {
    return (
      <>
        {header}
        <main className="narrow">
          <section className="card stack" aria-labelledby="refused-title">
            <h1 id="refused-title">Administrators only</h1>
            <p role="alert">Your account is not an administrator, so these pages are not open to you.</p>
            <p>
              An operator makes an account an administrator on the server, with{" "}
              <code>npm run user:create -- --email you@example.com --role ADMIN</code> (or <code>ADMIN_EMAIL</code> at the first start).
            </p>
            <a href="/">Back to your sessions</a>
          </section>
        </main>
      </>
    );
  }

  return (
    <>
      {header}
      <main className="wide stack">
        <LiveNotice />
        <h1>Users</h1>
        <label className="search">
          Search users
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="part of an email" />
        </label>
        <ul aria-label="Users" className="users">
          {found?.users.map((u) => (
            <li key={u.id}>
              <button type="button" className={picked?.id === u.id ? "link picked" : "link"} onClick={() => setPicked(u)}>
                {u.email}
              </button>
              <span className="badge">{u.role}</span>
            </li>
          ))}
        </ul>
        {picked && <UserDetail key={picked.id} user={picked} />}
        <ConnectedServices />
      </main>
    </>
  );
}

function UserDetail(props: { user: Picked }) {
  const now = useNow();
  const [{ data, error }, reload] = useQuery({ query: UserSessionsQuery, variables: { userId: props.user.id }, requestPolicy: "network-only" });
  const [menuOpen, setMenuOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [loggedOut, setLoggedOut] = useState(0);
  const [, adminLogout] = useMutation(AdminLogoutMutation);
  const firstItem = useRef<HTMLButtonElement>(null);
  const { reconnects } = useSession().live;

  useEffect(() => {
    if (menuOpen) firstItem.current?.focus();
  }, [menuOpen]);
  useEffect(() => {
    if (reconnects > 0) reload({ requestPolicy: "network-only" });
  }, [reconnects, reload]);

  async function logOutEverywhere() {
    setConfirming(false);
    const result = await adminLogout({ userId: props.user.id });
    if (result.data) {
      const ended = result.data.adminLogoutUser;
      setOutcome(`Logged out: ${ended} ${ended === 1 ? "session" : "sessions"} ended.`);
      reload({ requestPolicy: "network-only" });
      // Its endings are in the activity now.
      setLoggedOut((n) => n + 1);
    } else setOutcome(errorMessage(result.error));
  }

  return (
    <section aria-labelledby="user-title" className="card stack">
      <div className="section-head">
        <h2 id="user-title">{props.user.email}</h2>
        <div className="menu-wrap">
          <button type="button" aria-haspopup="menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((open) => !open)}>
            More actions
          </button>
          {menuOpen && (
            <ul role="menu" className="menu" onKeyDown={(e) => e.key === "Escape" && setMenuOpen(false)}>
              <li role="none">
                <button
                  type="button"
                  role="menuitem"
                  ref={firstItem}
                  onClick={() => {
                    setMenuOpen(false);
                    setConfirming(true);
                  }}
                >
                  Logout
                </button>
              </li>
            </ul>
          )}
        </div>
      </div>
      <div role="status">{outcome}</div>
      {error && (
        <p role="alert" className="error">
          {errorMessage(error)}
        </p>
      )}
      <h3>Sessions</h3>
      <ul aria-label="Sessions of this user" className="sessions">
        {data?.userSessions.map((s) => (
          <li key={s.id} className="session">
            <div className="device">
              <strong>{deviceOf(s)}</strong>
              <span>
                {s.os ?? s.deviceType}
                {s.name ? ` · ${s.browser}` : ""}
              </span>
            </div>
            <SessionFacts session={s} now={now} />
          </li>
        ))}
      </ul>
      {data && data.userSessions.length === 0 && <p>No active sessions.</p>}
      <RecentActivity key={`${reconnects}-${loggedOut}`} userId={props.user.id} />
      <ConfirmDialog open={confirming} title={`Log ${props.user.email} out everywhere?`} onConfirm={logOutEverywhere} onCancel={() => setConfirming(false)}>
        <p>Every session of this user ends at once, and each of their devices is told.</p>
      </ConfirmDialog>
    </section>
  );
}
