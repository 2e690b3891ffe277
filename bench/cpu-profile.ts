/** A V8 CPU profile as the inspector's Profiler.stop returns it. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

type Frame = CpuProfile["nodes"][number]["callFrame"];

/** A share of the time, named by what its samples were doing: the first rule that matches a sample's stack takes it. */
export interface ShareRule {
  label: string;
  matches(stack: Frame[]): boolean;
}

export interface Breakdown {
  /** From the first sample under the anchor to its last, ms. */
  spanMs: number;
  shares: { label: string; ms: number }[];
}

/**
 * Where the time went while `anchor` (a function name) was running: every sample from the
 * first under it to the last, those under it by `rules`, the collector's by itself (it runs
 * between the anchor's frames), anything else as "other work".
 */
export function breakdown(profile: CpuProfile, anchor: string, rules: ShareRule[]): Breakdown {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stackOf = (id: number): Frame[] => {
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.push(byId.get(at)!.callFrame);
    return stack;
  };
  let now = 0;
  const timed = profile.samples.map((id, i) => {
    now += profile.timeDeltas[i];
    // A sample's time is until the next one.
    return { stack: stackOf(id), at: now, ms: (profile.timeDeltas[i + 1] ?? 0) / 1000 };
  });
  const anchored = (stack: Frame[]) => stack.some((frame) => frame.functionName === anchor);
  const inside = timed.filter((sample) => anchored(sample.stack));
  if (inside.length === 0) return { spanMs: 0, shares: [] };
  const [from, to] = [inside[0].at, inside[inside.length - 1].at];
  const totals = new Map<string, number>();
  const add = (label: string, ms: number) => totals.set(label, (totals.get(label) ?? 0) + ms);
  for (const sample of timed) {
    if (sample.at < from || sample.at > to) continue;
    if (sample.stack[0].functionName === "(garbage collector)") add("garbage collection", sample.ms);
    else if (!anchored(sample.stack)) add("other work", sample.ms);
    else add(rules.find((rule) => rule.matches(sample.stack))?.label ?? "the rest", sample.ms);
  }
  return { spanMs: (to - from) / 1000, shares: [...totals].map(([label, ms]) => ({ label, ms })).sort((a, b) => b.ms - a.ms) };
}
