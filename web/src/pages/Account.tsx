import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { errorMessage } from "../api";
import { deviceOf, placeOf } from "../describe";
import { graphql } from "../gql";
import type { SessionRowFragment } from "../gql/graphql";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { LiveNotice } from "../ui/LiveNotice";
import { SessionFacts } from "../ui/SessionFacts";
import { SignalBadges } from "../ui/SignalBadges";
import { TopBar } from "../ui/TopBar";
import { useSession } from "@session-service/client/react";
import { useNow } from "../ui/useNow";
import { RecentActivity } from "./RecentActivity";

graphql(`
  fragment SessionRow on Session {
    id
    name
    client
    deviceType
    os
    browser
    browserVersion
    ipAddress
    location {
      country
      region
      city
    }
    lastActiveAt
    expiresAt
    isCurrent
    signals
  }
`);

const AccountQuery = graphql(`
  query Account {
    me {
      id
      email
      role
    }
    mySessions {
      ...SessionRow
    }
  }
`);

const SessionChangesSubscription = graphql(`
  subscription SessionChanges {
    mySessionsChanged {
      change
      at
      session {
        ...SessionRow
      }
    }
  }
`);

const TerminateSessionMutation = graphql(`
  mutation EndSession($sessionId: ID!) {
    terminateSession(sessionId: $sessionId)
  }
`);

const TerminateOthersMutation = graphql(`
  mutation EndOtherSessions {
    terminateOtherSessions
  }
`);

const RenameSessionMutation = graphql(`
  mutation NameSession($sessionId: ID!, $name: String!) {
    renameSession(sessionId: $sessionId, name: $name) {
      ...SessionRow
    }
  }
`);

const ChangePasswordMutation = graphql(`
  mutation NewPassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

/** Current first, then the most recently active. */
function ordered(sessions: SessionRowFragment[]): SessionRowFragment[] {
  return [...sessions].sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent) || Date.parse(b.lastActiveAt) - Date.parse(a.lastActiveAt));
}

/** The account pages: sessions (live), password, recent activity. */
export function Account() {
  const [{ data, error }, reload] = useQuery({ query: AccountQuery, requestPolicy: "network-only" });
  const [sessions, setSessions] = useState<SessionRowFragment[]>([]);
  const [banners, setBanners] = useState<SessionRowFragment[]>([]);
  const [changes, setChanges] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [, terminate] = useMutation(TerminateSessionMutation);
  const { reconnects } = useSession().live;

  useEffect(() => {
    if (data) setSessions(ordered(data.mySessions));
  }, [data]);

  // Back from a cut: what changed meanwhile was never pushed, so the lists are read again.
  useEffect(() => {
    if (reconnects > 0) reload({ requestPolicy: "network-only" });
  }, [reconnects, reload]);

  // The live list: starts and endings on every device of this account, as they happen.
  useSubscription({ query: SessionChangesSubscription }, (_previous, event) => {
    const { change, session: changed } = event.mySessionsChanged;
    if (change === "STARTED") {
      setSessions((list) => ordered([...list.filter((s) => s.id !== changed.id), changed]));
      if (changed.signals.length > 0 && !changed.isCurrent) setBanners((list) => [...list, changed]);
    } else {
      setSessions((list) => list.filter((s) => s.id !== changed.id));
      setBanners((list) => list.filter((s) => s.id !== changed.id));
    }
    setChanges((n) => n + 1);
    return event;
  });

  const end = useCallback(async (sessionId: string) => {
    setFailure(null);
    const result = await terminate({ sessionId });
    if (result.data) setSessions((list) => list.filter((s) => s.id !== sessionId));
    else setFailure(`The session was not ended. ${errorMessage(result.error)}`);
  }, [terminate]);

  if (error && !data) return <main className="wide"><p role="alert" className="error">{errorMessage(error)}</p></main>;
  if (!data) return <main className="wide"><p>Loading…</p></main>;

  return (
    <>
      <TopBar email={data.me.email}>{data.me.role === "ADMIN" && <a href="/admin">Administration</a>}</TopBar>
      <main className="wide stack">
        <LiveNotice />
        {failure && (
          <p role="alert" className="error">
            {failure}
          </p>
        )}
        {banners.map((b) => (
          <div key={b.id} role="alert" className="banner">
            <span>
              New sign-in: {deviceOf(b)}, {placeOf(b.location)}. Not you?
            </span>
            <button type="button" className="danger" onClick={() => end(b.id)}>
              Terminate it
            </button>
          </div>
        ))}
        <SessionsSection sessions={sessions} onEnd={end} onEndedOthers={() => setSessions((list) => list.filter((s) => s.isCurrent))} onRenamed={(renamed) => setSessions((list) => list.map((s) => (s.id === renamed.id ? renamed : s)))} onFailure={setFailure} />
        <ChangePassword email={data.me.email} onChanged={() => setSessions((list) => list.filter((s) => s.isCurrent))} />
        <RecentActivity key={`${changes}-${reconnects}`} />
      </main>
    </>
  );
}

function SessionsSection(props: {
  sessions: SessionRowFragment[];
  onEnd: (id: string) => void;
  onEndedOthers: () => void;
  onRenamed: (session: SessionRowFragment) => void;
  onFailure: (text: string | null) => void;
}) {
  const now = useNow();
  const [confirming, setConfirming] = useState(false);
  const [{ fetching }, terminateOthers] = useMutation(TerminateOthersMutation);
  const others = props.sessions.filter((s) => !s.isCurrent).length;

  async function endOthers() {
    setConfirming(false);
    props.onFailure(null);
    const result = await terminateOthers({});
    if (result.data) props.onEndedOthers();
    else props.onFailure(`The other sessions were not ended. ${errorMessage(result.error)}`);
  }

  return (
    <section aria-labelledby="sessions-title" className="stack">
      <div className="section-head">
        <h1 id="sessions-title">Sessions</h1>
        <button type="button" className="danger" disabled={others === 0 || fetching} onClick={() => setConfirming(true)}>
          Terminate sessions
        </button>
      </div>
      <p className="hint">Look for devices and places you do not recognise. Ending a session signs that device out at once.</p>
      <ul aria-label="Active sessions" className="sessions">
        {props.sessions.map((s) => (
          <li key={s.id} className={s.isCurrent ? "session current" : "session"}>
            <div className="device">
              <strong>{s.name ?? s.deviceType}</strong>
              <span>
                {s.name ? `${s.deviceType} · ` : ""}
                {s.browser}
                {s.browserVersion ? ` ${s.browserVersion}` : ""}
                {s.os ? ` · ${s.os}` : ""}
              </span>
              <SignalBadges signals={s.signals} />
            </div>
            <SessionFacts session={s} now={now} />
            <div className="row-actions">
              <RenameSession session={s} onRenamed={props.onRenamed} />
              {s.isCurrent ? (
                <span className="yours">
                  <span className="dot" aria-hidden="true" />
                  Your session
                </span>
              ) : (
                <button type="button" className="danger" onClick={() => props.onEnd(s.id)}>
                  Terminate session
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <ConfirmDialog open={confirming} title="Terminate all other sessions?" onConfirm={endOthers} onCancel={() => setConfirming(false)}>
        <p>
          {others === 1 ? "The other device is" : `All ${others} other devices are`} signed out at once:{" "}
          {props.sessions
            .filter((s) => !s.isCurrent)
            .map((s) => deviceOf(s))
            .join(", ")}
          . This one stays signed in.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function ChangePassword(props: { email: string; onChanged: () => void }) {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [{ fetching }, change] = useMutation(ChangePasswordMutation);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await change({ currentPassword, newPassword });
    if (result.data) {
      const ended = result.data.changePassword;
      setOutcome({ ok: true, text: `Password changed. ${ended} other ${ended === 1 ? "session was" : "sessions were"} ended.` });
      setCurrent("");
      setNew("");
      props.onChanged();
    } else setOutcome({ ok: false, text: errorMessage(result.error) ?? "" });
  }

  return (
    <section aria-labelledby="password-title" className="card stack">
      <h2 id="password-title">Password</h2>
      <form onSubmit={submit} className="stack">
        {/* For password managers: which account this password is for. */}
        <input type="text" name="username" autoComplete="username" value={props.email} readOnly hidden />
        <label>
          Current password
          <input type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          New password
          <input type="password" autoComplete="new-password" required minLength={8} value={newPassword} onChange={(e) => setNew(e.target.value)} />
        </label>
        <div role="status" className={outcome?.ok === false ? "error" : "ok"}>
          {outcome?.text}
        </div>
        <div className="actions">
          <button type="submit" disabled={fetching}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}

/** "Rename" on a row: a name the user will recognise the device by (1–64 characters). */
function RenameSession(props: { session: SessionRowFragment; onRenamed: (session: SessionRowFragment) => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, rename] = useMutation(RenameSessionMutation);
  const label = props.session.name ?? deviceOf(props.session);

  async function save(event: FormEvent) {
    event.preventDefault();
    const result = await rename({ sessionId: props.session.id, name });
    if (result.data) {
      props.onRenamed(result.data.renameSession);
      setEditing(false);
      setError(null);
    } else setError(errorMessage(result.error));
  }

  if (!editing)
    return (
      <button type="button" className="secondary" aria-label={`Rename ${label}`} onClick={() => (setName(props.session.name ?? ""), setEditing(true))}>
        Rename
      </button>
    );
  return (
    <form onSubmit={save} className="rename">
      <label>
        Device name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} autoFocus />
      </label>
      <button type="submit" disabled={fetching}>
        Save
      </button>
      <button type="button" className="secondary" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
