import type { RankedEntry, TagWeight } from './types.js';

/** What taste and forYou need: learned tastes, popularity, and ranking snapshots for paging. Adapters implement these; only the composition root knows which. */

/** One click as the taste group learns it: who, which tweet, its tags, and when. */
export interface LearnedClick {
  userId: string;
  tweetId: string;
  tags: readonly string[];
  /** Unix ms of the click; weights decay from it. */
  at: number;
}

/**
 * What clicks taught: per-user tag weights with exponential time decay, the tweets each user
 * clicked, and recently popular tweets. Weights are stored scaled to an anchor time, so decay
 * needs no rewrite and the heaviest tags are one read.
 */
export interface TasteStore {
  /**
   * Adds the click's tags to the user's taste, the tweet to the user's clicked set and to the
   * popular set, atomically. Idempotent per window: a click on a tweet the user already had counted
   * less than the dedupe window before (or after) `at` changes nothing and returns false, so a
   * redelivered message never counts twice.
   */
  recordClick(click: LearnedClick): Promise<boolean>;
  /** The user's heaviest tags with their weights decayed to `now`, heaviest first; one call. */
  topTags(userId: string, limit: number, now: number): Promise<TagWeight[]>;
  /** Whether the user clicked each tweet (as far as the capped clicked set remembers); one call. */
  clickedAmong(userId: string, tweetIds: readonly string[]): Promise<boolean[]>;
  /** The most clicked tweets lately, most first, with their relative popularity in (0, 1]; one call. */
  popular(limit: number): Promise<{ tweetId: string; popularity: number }[]>;
}

/** Ranked lists kept for a while, so later pages of one ranking stay stable while new tweets arrive. */
export interface RankingSnapshots {
  /** Stores the entries (best first) under a fresh random id, expiring after the configured TTL. One round trip. */
  save(userId: string, entries: readonly RankedEntry[]): Promise<string>;
  /**
   * Entries [offset, offset + count) and the snapshot's length; null when it expired (or never
   * existed for this user). One round trip.
   */
  read(userId: string, snapshotId: string, offset: number, count: number): Promise<{ entries: RankedEntry[]; total: number } | null>;
}
