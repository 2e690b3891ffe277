import fs from "node:fs";
import path from "node:path";
import { BENCH_SOURCE_DIR, LOAD_SECONDS, machine, type Section } from "./harness";
import * as acrossInstances from "./across-instances";
import * as fanOut from "./fan-out";
import * as loginRefresh from "./login-refresh";
import * as notifyCost from "./notify-cost";
import * as peer from "./peer";
import * as scale from "./scale";
import * as signals from "./signals";
import * as stack from "./stack";

const BENCHES: { name: string; script: string; run: () => Promise<Section> }[] = [
  { name: "stack", script: "bench:stack", run: stack.run },
  { name: "peer", script: "bench:peer", run: peer.run },
  { name: "login-refresh", script: "bench:login-refresh", run: loginRefresh.run },
  { name: "fan-out", script: "bench:fan-out", run: fanOut.run },
  { name: "across-instances", script: "bench:across", run: acrossInstances.run },
  { name: "notify-cost", script: "bench:notify", run: notifyCost.run },
  { name: "scale", script: "bench:scale", run: scale.run },
  { name: "signals", script: "bench:signals", run: signals.run },
];

/** Every bench, one after another, into bench/RESULTS.md (and the charts beside it). */
async function main(): Promise<void> {
  const started = new Date();
  const sections: string[] = [];
  for (const bench of BENCHES) {
    console.log(`=== ${bench.name}`);
    const began = Date.now();
    const section = await bench.run();
    for (const file of section.files ?? []) fs.writeFileSync(path.join(BENCH_SOURCE_DIR, file.name), file.content);
    sections.push(`## ${section.title}\n\n\`npm run ${bench.script}\` (${((Date.now() - began) / 1000).toFixed(0)} s)\n\n${section.markdown}`);
    console.log(section.markdown);
  }
  const head = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` on ${started.toISOString()} (${((Date.now() - started.getTime()) / 60000).toFixed(1)} min). Load passes last ${LOAD_SECONDS} s (\`BENCH_SECONDS\`).`,
    "",
    `Machine: ${machine()}. The benches, the service, PostgreSQL and Redis share it.`,
    "",
    "Every ratio compares figures measured side by side in the same run. Each section names the command that runs it alone.",
  ].join("\n");
  fs.writeFileSync(path.join(BENCH_SOURCE_DIR, "RESULTS.md"), `${head}\n\n${sections.join("\n\n")}\n`);
  console.log(`wrote ${path.join(BENCH_SOURCE_DIR, "RESULTS.md")}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
