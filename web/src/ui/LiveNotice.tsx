import { useEffect, useState } from "react";
import { useSession } from "@session-service/client/react";

// A blip shorter than this (a restart behind a balancer) is not worth a notice.
const SHOW_AFTER_MS = 2_000;

/** Says so while live updates are cut off, so the list on screen is not taken for the truth. */
export function LiveNotice() {
  const { connected } = useSession().live;
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (connected) return setShown(false);
    const timer = setTimeout(() => setShown(true), SHOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [connected]);
  if (!shown) return null;
  return (
    <p role="status" className="notice">
      Reconnecting… Live updates are paused; the lists will catch up when the connection is back.
    </p>
  );
}
