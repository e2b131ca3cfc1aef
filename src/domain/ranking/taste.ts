import type { SignalWeights, TagWeight, TasteProfile, TasteSource, TasteTag } from './types.js';

/** How many clicked and liked tweets carried a tag (since its last removal). */
export interface SignalCounts {
  clicks: number;
  likes: number;
}

/** A user's taste as stored, decayed to now: what the store reads in one call. */
export interface StoredTaste {
  /** Weights signals taught, decayed; negative ones from "not interested". */
  learned: readonly TagWeight[];
  counts: ReadonlyMap<string, SignalCounts>;
  /** Tags chosen with setInterests. */
  chosen: readonly string[];
  /** Author id → decayed weight (< 0). */
  authors: ReadonlyMap<string, number>;
}

/**
 * The taste ranking uses: each tag's learned weight plus `weights.interest` when the user chose it,
 * heaviest first (ties by tag), and the signal that contributes most to it (the chosen interest, or
 * likes or clicks by count × weight). Tags whose weight is 0 are left out. Pure.
 */
export function tasteProfile(stored: StoredTaste, weights: SignalWeights): TasteProfile {
  const chosen = new Set(stored.chosen);
  const learned = new Map(stored.learned.map((t) => [t.tag, t.weight]));
  const tags: TasteTag[] = [];
  for (const tag of new Set([...learned.keys(), ...chosen])) {
    const weight = (learned.get(tag) ?? 0) + (chosen.has(tag) ? weights.interest : 0);
    if (weight === 0) continue;
    tags.push({ tag, weight, source: sourceOf(chosen.has(tag), stored.counts.get(tag), weights) });
  }
  tags.sort((a, b) => b.weight - a.weight || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { tags, authors: stored.authors };
}

function sourceOf(chosen: boolean, counts: SignalCounts | undefined, weights: SignalWeights): TasteSource {
  const likes = (counts?.likes ?? 0) * weights.like;
  const clicks = (counts?.clicks ?? 0) * weights.click;
  if (chosen && weights.interest >= Math.max(likes, clicks)) return { signal: 'chosen' };
  if (likes > 0 && likes >= clicks) return { signal: 'like', count: counts!.likes };
  // No count: clicks learned before counts were kept.
  return { signal: 'click', count: counts?.clicks ?? 0 };
}
