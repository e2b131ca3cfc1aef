import type { RankedEntry, TagWeight, TasteProfile } from './types.js';

/** What taste and forYou need: learned tastes, popularity, and ranking snapshots for paging. Adapters implement these; only the composition root knows which. */

/** One click as the taste group learns it: who, which tweet, its tags, and when. */
export interface LearnedClick {
  userId: string;
  tweetId: string;
  tags: readonly string[];
  /** Unix ms of the click; weights decay from it. */
  at: number;
}

/** A like, a not-interested: as the taste group learns it. `at` is when the user acted (ms). */
export interface LearnedSignal extends LearnedClick {
  authorId: string;
}

/**
 * What signals taught, per user: tag weights with exponential time decay (clicks and likes add,
 * an unlike takes its like back, "not interested" subtracts from the tweet's tags and author),
 * how many clicked and liked tweets carried each tag, the chosen interests and removed tags, the
 * tweets each user clicked or hid, and recently popular tweets. Weights are stored scaled to an
 * anchor time, so decay needs no rewrite and the heaviest tags are one read.
 *
 * Every learning method is idempotent (a redelivered message never counts twice) and leaves out
 * tags the user removed after the signal's time.
 */
export interface TasteStore {
  /**
   * Adds the click's tags to the user's taste, the tweet to the user's clicked set and to the
   * popular set, atomically. Idempotent per window: a click on a tweet the user already had counted
   * less than the dedupe window before (or after) `at` changes nothing and returns false, so a
   * redelivered message never counts twice.
   */
  recordClick(click: LearnedClick): Promise<boolean>;
  /**
   * Learns a like, once, and only while the user still likes the tweet with that like time (an
   * unlike or a newer like since: nothing, the later event teaches). True when it counted.
   */
  learnLike(like: LearnedSignal): Promise<boolean>;
  /** Takes back what `learnLike` taught for the like at `at` (its time), once; false when it had not counted. */
  unlearnLike(like: LearnedSignal): Promise<boolean>;
  /**
   * Learns "not interested", once: the (negative) weight on the tweet's tags and author. Also hides
   * the tweet (as `hide`), so a replay restores that too.
   */
  learnNotInterested(signal: LearnedSignal): Promise<boolean>;
  /** Keeps the tweet out of the user's forYou from now on (capped). True when it was not hidden yet. */
  hide(userId: string, tweetId: string, at: number): Promise<boolean>;
  /** Undoes `hide` (its publish failed). */
  unhide(userId: string, tweetId: string): Promise<void>;
  /**
   * The tag stops counting: its weight and counts are dropped, it is no longer a chosen interest
   * (unless chosen after `at`), and signals older than `at` never teach it again. Idempotent.
   */
  removeTag(userId: string, tag: string, at: number): Promise<void>;
  /**
   * The user's chosen interests become `tags`, unless a later choice (by `at`) is stored already.
   * True when applied.
   */
  setInterests(userId: string, tags: readonly string[], at: number): Promise<boolean>;
  /** The user's taste decayed to `now`, with chosen interests, what carries each tag and authors' weights; one call. */
  profile(userId: string, now: number): Promise<TasteProfile>;
  /** The heaviest `limit` tags of `profile`, weights only. */
  topTags(userId: string, limit: number, now: number): Promise<TagWeight[]>;
  /** Whether the user clicked each tweet (as far as the capped clicked set remembers); one call. */
  clickedAmong(userId: string, tweetIds: readonly string[]): Promise<boolean[]>;
  /** Whether the user said "not interested" in each tweet (as far as the capped set remembers); one call. */
  hiddenAmong(userId: string, tweetIds: readonly string[]): Promise<boolean[]>;
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
