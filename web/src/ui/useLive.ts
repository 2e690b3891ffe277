import { useSyncExternalStore } from "react";
import { live } from "../api";
import type { LiveState } from "../live-socket";

/** The live connection's state: whether it is up, and how many times it came back (lists refetch on that). */
export function useLive(): LiveState {
  return useSyncExternalStore(live.subscribe, live.state);
}
