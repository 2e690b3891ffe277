/** A cumulative-distribution chart of latencies, one line per series, as a standalone SVG. */
export function latencyCdfSvg(title: string, series: { name: string; valuesMs: number[] }[]): string {
  const width = 720;
  const height = 400;
  const left = 60;
  const right = 20;
  const top = 40;
  const bottom = 50;
  const colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
  const all = series.flatMap((s) => s.valuesMs);
  const maxMs = Math.max(1, ...all);
  const x = (ms: number) => left + (Math.max(0, ms) / maxMs) * (width - left - right);
  const y = (fraction: number) => top + (1 - fraction) * (height - top - bottom);
  const lines = series.map((s, i) => {
    const sorted = [...s.valuesMs].sort((a, b) => a - b);
    const points = sorted.map((v, k) => `${x(v).toFixed(1)},${y((k + 1) / sorted.length).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="2" points="${x(0)},${y(0)} ${points}"/>` +
      `<text x="${width - right - 300}" y="${top + 20 + i * 18}" fill="${colors[i % colors.length]}" font-size="13">${escape(s.name)} (n=${sorted.length})</text>`;
  });
  const ticks = Array.from({ length: 6 }, (_, i) => (maxMs * i) / 5);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escape(title)}</text>`,
    `<line x1="${left}" y1="${y(0)}" x2="${width - right}" y2="${y(0)}" stroke="black"/>`,
    `<line x1="${left}" y1="${y(0)}" x2="${left}" y2="${y(1)}" stroke="black"/>`,
    ...ticks.map((t) => `<text x="${x(t)}" y="${y(0) + 18}" text-anchor="middle" font-size="11">${t.toFixed(t < 10 ? 1 : 0)}</text>`),
    ...[0, 0.5, 0.9, 0.99, 1].map((f) => `<text x="${left - 6}" y="${y(f) + 4}" text-anchor="end" font-size="11">${f * 100}%</text><line x1="${left}" y1="${y(f)}" x2="${width - right}" y2="${y(f)}" stroke="#ddd"/>`),
    `<text x="${width / 2}" y="${height - 10}" text-anchor="middle" font-size="12">ms from the mutation sent to the event on the socket</text>`,
    ...lines,
    `</svg>`,
  ].join("\n");
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
