import { decayFactor } from './decay.js';
import type { Candidate, RankedEntry, RankingWeights, Reason, TagWeight, TasteProfile, TasteSource } from './types.js';

/** A liked tag is named as a reason once it carries this share of the user's heaviest tag. */
export const REASON_MIN_AFFINITY = 0.1;
/** Popularity (share of the most clicked tweet) from which "popular" is named as a reason. */
export const REASON_MIN_POPULARITY = 0.2;
/** At most this many liked tags are named per tweet. */
export const MAX_TASTE_REASONS = 2;

/** The weight shares are taken of: the heaviest positive tag, or one unit when nothing is liked yet. */
function shareScale(taste: readonly TagWeight[]): number {
  const max = Math.max(0, ...taste.map((t) => t.weight));
  return max > 0 ? max : 1;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Taste as shares of the heaviest tag, −1..1 (negative: tags "not interested" weighed down; shares
 * below −1 are cut there). Ranking uses shares, not raw decayed weights, so a user with five clicks
 * and one with five hundred get scores on the same scale, and the anchor-relative scale of stored
 * weights never matters. Tags of weight 0 are left out.
 */
export function normalizeTaste(taste: readonly TagWeight[]): Map<string, number> {
  const scale = shareScale(taste);
  const shares = new Map<string, number>();
  for (const { tag, weight } of taste) if (weight !== 0) shares.set(tag, clamp(weight / scale, -1, 1));
  return shares;
}

/**
 * How much the user likes a tweet's tags: the best positive share among them (the max, not the
 * sum, so a tweet is not favoured for carrying many tags, nor for near-synonym pairs the tagger
 * always emits together) plus the worst negative one, and the liked tags, best first.
 */
export function affinity(tags: readonly string[], shares: ReadonlyMap<string, number>): { value: number; liked: TagWeight[] } {
  const weighed = [...new Set(tags)].map((tag) => ({ tag, weight: shares.get(tag) ?? 0 }));
  const liked = weighed.filter((t) => t.weight > 0).sort((a, b) => b.weight - a.weight);
  const disliked = Math.min(0, ...weighed.map((t) => t.weight));
  return { value: (liked[0]?.weight ?? 0) + disliked, liked };
}

/** What scoring knows of the user beyond tag shares: what carries each tag, and authors' shares (−1..0). */
export interface TasteContext {
  sources?: ReadonlyMap<string, TasteSource>;
  authors?: ReadonlyMap<string, number>;
}

/**
 * Scores one candidate: weighted taste affinity + author share + recency decay + follow bonus +
 * popularity, and names the signals that carried it, strongest contribution first: a liked tag with
 * the signal behind it (a chosen interest, likes or clicks), the follow, popularity. Only positive
 * signals are named, never a "not interested". When none reaches its naming threshold the
 * strongest present one is named anyway, so reasons are never empty.
 */
export function scoreCandidate(
  c: Candidate,
  shares: ReadonlyMap<string, number>,
  weights: RankingWeights,
  now: number,
  context: TasteContext = {},
): { score: number; reasons: Reason[] } {
  const taste = affinity(c.tags, shares);
  const author = context.authors?.get(c.authorId) ?? 0;
  const recency = decayFactor(now - c.createdAt, weights.recencyHalfLifeMs);
  const follow = c.followed ? 1 : 0;
  const score =
    weights.taste * taste.value + weights.author * author + weights.recency * recency + weights.follow * follow + weights.popular * c.popularity;

  const tasteReason = (tag: string): Reason => {
    const source = context.sources?.get(tag);
    return source ? { kind: 'taste', tag, source } : { kind: 'taste', tag };
  };
  const named: { reason: Reason; contribution: number }[] = [];
  for (const t of taste.liked.filter((l) => l.weight >= REASON_MIN_AFFINITY).slice(0, MAX_TASTE_REASONS)) {
    named.push({ reason: tasteReason(t.tag), contribution: weights.taste * t.weight });
  }
  if (c.followed) named.push({ reason: { kind: 'follow' }, contribution: weights.follow });
  if (c.popularity >= REASON_MIN_POPULARITY) named.push({ reason: { kind: 'popular' }, contribution: weights.popular * c.popularity });
  // Stable sort: on equal contributions taste comes before follow before popular.
  named.sort((a, b) => b.contribution - a.contribution);
  const reasons = named.map((n) => n.reason);
  if (reasons.length === 0) {
    const best = taste.liked[0];
    reasons.push(best ? tasteReason(best.tag) : c.popularity > 0 ? { kind: 'popular' } : { kind: 'recent' });
  }
  return { score, reasons };
}

/** Newer first among equal scores: Snowflake ids order by time, compared as numbers. */
function compareIdsDesc(a: string, b: string): number {
  return b.length - a.length || (b > a ? 1 : b < a ? -1 : 0);
}

/**
 * Ranks candidates for a user: best score first, ties broken newest first, so the same input
 * always gives the same order. Duplicate tweet ids keep their first occurrence. `taste` is the
 * user's profile (or bare tag weights). Pure.
 */
export function rankCandidates(
  candidates: readonly Candidate[],
  taste: readonly TagWeight[] | TasteProfile,
  weights: RankingWeights,
  now: number,
): RankedEntry[] {
  const profile: TasteProfile = 'tags' in taste ? taste : { tags: taste, authors: new Map() };
  const shares = normalizeTaste(profile.tags);
  const scale = shareScale(profile.tags);
  const context: TasteContext = {
    sources: new Map(profile.tags.flatMap((t) => (t.source ? [[t.tag, t.source] as const] : []))),
    authors: new Map([...profile.authors].map(([id, w]) => [id, clamp(w / scale, -1, 0)])),
  };
  const seen = new Set<string>();
  const entries: RankedEntry[] = [];
  for (const c of candidates) {
    if (seen.has(c.tweetId)) continue;
    seen.add(c.tweetId);
    entries.push({ tweetId: c.tweetId, authorId: c.authorId, ...scoreCandidate(c, shares, weights, now, context) });
  }
  return entries.sort((a, b) => b.score - a.score || compareIdsDesc(a.tweetId, b.tweetId));
}
