import type { ReceivedSet } from "../support/set-receiver";
import { SESSION_REVOKED_URI } from "../support/ssf-push-stream";
import type { Ending } from "./endings-at-rate";

/** What a receiver got for a set of endings: who got a SET, duplicates, and whether the order held. */
export interface Ledger {
  /** The first session-revoked SET of each ending's session, by session id. */
  first: Map<string, ReceivedSet>;
  missing: number;
  /** SETs received more than once (same jti), counted beyond the first. */
  duplicateJtis: number;
  /** Sessions with more than one distinct SET. */
  sessionsTwice: number;
  /** Neighbours in response order whose SETs came the other way round (calls may have overlapped). */
  adjacentSwaps: number;
  /** Endings whose SET came before that of an ending answered before this one was even sent: never allowed. */
  orderViolations: number;
}

export const sessionOf = (set: ReceivedSet) => ((set.claims.sub_id as { session?: { id?: string } } | undefined)?.session?.id ?? "") as string;

/** The receiver's session-revoked SETs for these endings, in arrival order, checked. */
export function ledgerOf(endings: Ending[], received: ReceivedSet[]): Ledger {
  const ours = new Set(endings.map((e) => e.sessionId));
  const arrivals = received.filter((set) => set.type === SESSION_REVOKED_URI && ours.has(sessionOf(set)));
  const jtis = new Set<string>();
  const first = new Map<string, ReceivedSet>();
  const position = new Map<string, number>();
  let duplicateJtis = 0;
  let sessionsTwice = 0;
  for (const set of arrivals) {
    const jti = String(set.claims.jti);
    if (jtis.has(jti)) {
      duplicateJtis++;
      continue;
    }
    jtis.add(jti);
    const session = sessionOf(set);
    if (first.has(session)) sessionsTwice++;
    else {
      first.set(session, set);
      position.set(session, position.size);
    }
  }
  const heard = endings.filter((e) => position.has(e.sessionId));
  return {
    first,
    missing: endings.length - heard.length,
    duplicateJtis,
    sessionsTwice,
    adjacentSwaps: adjacentSwaps(heard, position),
    orderViolations: orderViolations(heard, position),
  };
}

function adjacentSwaps(endings: Ending[], position: Map<string, number>): number {
  const byResponse = [...endings].sort((a, b) => a.respondedAt - b.respondedAt);
  let swaps = 0;
  for (let k = 1; k < byResponse.length; k++) if (position.get(byResponse[k].sessionId)! < position.get(byResponse[k - 1].sessionId)!) swaps++;
  return swaps;
}

/**
 * An ending answered before another was sent committed first, so its outbox row is older and its
 * SET must come first. Swept in sending order, with the latest arrival among those answered so far.
 */
function orderViolations(endings: Ending[], position: Map<string, number>): number {
  const bySent = [...endings].sort((a, b) => a.sentAt - b.sentAt);
  const byResponse = [...endings].sort((a, b) => a.respondedAt - b.respondedAt);
  let answered = 0;
  let latest = -1;
  let violations = 0;
  for (const ending of bySent) {
    while (answered < byResponse.length && byResponse[answered].respondedAt < ending.sentAt) {
      latest = Math.max(latest, position.get(byResponse[answered].sessionId)!);
      answered++;
    }
    if (latest > position.get(ending.sessionId)!) violations++;
  }
  return violations;
}

/** SETs per second from the first of the ledger's to the last. */
export function arrivalRate(ledger: Ledger): number {
  const times = [...ledger.first.values()].map((set) => set.receivedAt);
  return (times.length - 1) / Math.max(0.001, (Math.max(...times) - Math.min(...times)) / 1000);
}
