/** One row of `lag`: what a group has not yet processed on one partition (measured by adapters/kafka/lag.ts). */
export interface LagRow {
  /** Physical consumer group id. */
  group: string;
  topic: string;
  partition: number;
  /** Committed offset, or -1 if the group has committed nothing on this partition yet. */
  committed: number;
  /** Log end offset (high watermark). */
  end: number;
  /** Messages not yet processed: end - committed (all of them when nothing was committed). */
  lag: number;
}

/** A fixed-width table for the `lag` command. */
export function formatLagTable(rows: readonly LagRow[]): string {
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'];
  const lines = rows.map((r) => [r.group, r.topic, String(r.partition), String(r.committed), String(r.end), String(r.lag)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const total = rows.reduce((sum, r) => sum + r.lag, 0);
  return [fmt(header), ...lines.map(fmt), '', `total lag: ${total}`].join('\n');
}
