import { decayFactor } from './decay.js';
import type { Candidate, RankedEntry, RankingWeights, Reason, TagWeight } from './types.js';

/** A liked tag is named as a reason once it carries this share of the user's heaviest tag. */
export const REASON_MIN_AFFINITY = 0.1;
/** Popularity (share of the most clicked tweet) from which "popular" is named as a reason. */
export const REASON_MIN_POPULARITY = 0.2;
/** At most this many liked tags are named per tweet. */
export const MAX_TASTE_REASONS = 2;

/**
 * Taste as shares of the heaviest tag, 0..1. Ranking uses shares, not raw decayed counts, so a user
 * with five clicks and one with five hundred get scores on the same scale, and the anchor-relative
 * scale of stored weights never matters.
 */
export function normalizeTaste(taste: readonly TagWeight[]): Map<string, number> {
  const max = Math.max(0, ...taste.map((t) => t.weight));
  const shares = new Map<string, number>();
  if (max <= 0) return shares;
  for (const { tag, weight } of taste) if (weight > 0) shares.set(tag, weight / max);
  return shares;
}

/**
 * How much the user likes a tweet's tags: the best share among them (the max, not the sum, so a
 * tweet is not favoured for carrying many tags, nor for near-synonym pairs the tagger always emits
 * together), and the liked tags, best first.
 */
export function affinity(tags: readonly string[], shares: ReadonlyMap<string, number>): { value: number; liked: TagWeight[] } {
  const liked = [...new Set(tags)]
    .map((tag) => ({ tag, weight: shares.get(tag) ?? 0 }))
    .filter((t) => t.weight > 0)
    .sort((a, b) => b.weight - a.weight);
  return { value: liked[0]?.weight ?? 0, liked };
}

/**
 * Scores one candidate: weighted taste affinity + recency decay + follow bonus + popularity, and
 * names the signals that carried it, strongest contribution first. When no signal reaches its
 * naming threshold the strongest present one is named anyway, so reasons are never empty.
 */
export function scoreCandidate(
  c: Candidate,
  shares: ReadonlyMap<string, number>,
  weights: RankingWeights,
  now: number,
): { score: number; reasons: Reason[] } {
  const taste = affinity(c.tags, shares);
  const recency = decayFactor(now - c.createdAt, weights.recencyHalfLifeMs);
  const follow = c.followed ? 1 : 0;
  const score = weights.taste * taste.value + weights.recency * recency + weights.follow * follow + weights.popular * c.popularity;

  const named: { reason: Reason; contribution: number }[] = [];
  for (const t of taste.liked.filter((l) => l.weight >= REASON_MIN_AFFINITY).slice(0, MAX_TASTE_REASONS)) {
    named.push({ reason: { kind: 'taste', tag: t.tag }, contribution: weights.taste * t.weight });
  }
  if (c.followed) named.push({ reason: { kind: 'follow' }, contribution: weights.follow });
  if (c.popularity >= REASON_MIN_POPULARITY) named.push({ reason: { kind: 'popular' }, contribution: weights.popular * c.popularity });
  // Stable sort: on equal contributions taste comes before follow before popular.
  named.sort((a, b) => b.contribution - a.contribution);
  const reasons = named.map((n) => n.reason);
  if (reasons.length === 0) reasons.push(fallbackReason(c, taste.liked[0]));
  return { score, reasons };
}

function fallbackReason(c: Candidate, bestLiked: TagWeight | undefined): Reason {
  if (bestLiked) return { kind: 'taste', tag: bestLiked.tag };
  if (c.popularity > 0) return { kind: 'popular' };
  return { kind: 'recent' };
}

/** Newer first among equal scores: Snowflake ids order by time, compared as numbers. */
function compareIdsDesc(a: string, b: string): number {
  return b.length - a.length || (b > a ? 1 : b < a ? -1 : 0);
}

/**
 * Ranks candidates for a user: best score first, ties broken newest first, so the same input
 * always gives the same order. Duplicate tweet ids keep their first occurrence. Pure.
 */
export function rankCandidates(
  candidates: readonly Candidate[],
  taste: readonly TagWeight[],
  weights: RankingWeights,
  now: number,
): RankedEntry[] {
  const shares = normalizeTaste(taste);
  const seen = new Set<string>();
  const entries: RankedEntry[] = [];
  for (const c of candidates) {
    if (seen.has(c.tweetId)) continue;
    seen.add(c.tweetId);
    entries.push({ tweetId: c.tweetId, authorId: c.authorId, ...scoreCandidate(c, shares, weights, now) });
  }
  return entries.sort((a, b) => b.score - a.score || compareIdsDesc(a.tweetId, b.tweetId));
}
