/** "New device" / "New location": why a session (or the login that opened it) looked unfamiliar. */
export function SignalBadges(props: { signals: readonly string[] }) {
  return (
    <>
      {props.signals.includes("NEW_DEVICE") && <span className="badge">New device</span>}
      {props.signals.includes("NEW_COUNTRY") && <span className="badge">New location</span>}
    </>
  );
}
