import type { RankedEntry } from './types.js';

/** At most `maxPerAuthor` entries of one author in any `window` consecutive entries. */
export interface VarietyRule {
  window: number;
  maxPerAuthor: number;
}

/**
 * Reorders a ranking so that no author has more than `maxPerAuthor` entries in any `window`
 * consecutive ones: each position takes the best-ranked entry whose author is under the limit in
 * the `window - 1` entries before it. The rule holds for every run of entries, so for every page
 * and across the boundary between consecutive pages of a stored ranking, whatever their size.
 * Entries that no position can take without breaking it (the end of a ranking only one or two
 * authors fill) are left out. Keeps the ranking's order otherwise; pure; O(n × window).
 */
export function applyVariety(ranked: readonly RankedEntry[], rule: VarietyRule): RankedEntry[] {
  if (rule.maxPerAuthor >= rule.window) return [...ranked];
  const pending = [...ranked];
  const out: RankedEntry[] = [];
  const recent = new Map<string, number>();
  while (pending.length > 0) {
    const i = pending.findIndex((e) => (recent.get(e.authorId) ?? 0) < rule.maxPerAuthor);
    if (i < 0) break;
    const [entry] = pending.splice(i, 1);
    out.push(entry!);
    recent.set(entry!.authorId, (recent.get(entry!.authorId) ?? 0) + 1);
    // The window ending at the next position starts window - 1 entries back.
    const leaving = out[out.length - rule.window];
    if (leaving) recent.set(leaving.authorId, recent.get(leaving.authorId)! - 1);
  }
  return out;
}
