import type { ModerationLabel } from './moderation/categories.js';

/** Domain records as stored. Relations are foreign ids; field resolvers load them. */
export interface Tweet {
  id: string;
  authorId: string;
  text: string;
  /** ISO-8601, derived from the id's timestamp. */
  createdAt: string;
  /** The tweet this one replies to and its author; absent for a tweet that replies to none. */
  replyTo?: { id: string; authorId: string };
  /** Users the text @mentions (validated when posted); absent when none. */
  mentionIds?: string[];
  /** Filled in by the tagger group; absent until it has run. Best first. */
  tags?: TweetTags | null;
  /** Filled in by the moderator group; absent until it has run. */
  moderation?: ModerationVerdict | null;
  /** How many users like it, as loaded with the tweet (never stored in its record). */
  likeCount?: number;
}

/**
 * `offline` is the trained model (models/tagger/); `lexicon` the hand-written keyword lists it
 * grew from, still selectable and found in tags stored before the model existed.
 */
export type TaggerBackendName = 'openai' | 'offline' | 'lexicon';
/** `rules` is the blocklist moderator the offline one replaced; it survives in stored verdicts only. */
export type ModeratorBackendName = 'openai' | 'offline' | 'rules';

export interface TweetTags {
  tags: string[];
  /** Which backend chose them: the LLM, or the offline tagger (by configuration or as fallback). */
  backend: TaggerBackendName;
  /** ISO-8601 instant the tags were chosen; absent in records written before it was kept. */
  taggedAt?: string;
}

export interface ModerationVerdict {
  flagged: boolean;
  /** Categories detected (those of `labels`); verdicts stored before labels existed have only this. */
  categories: string[];
  /** Absent in verdicts stored before labels existed. */
  labels?: ModerationLabel[];
  backend: ModeratorBackendName;
}

/** A flagged tweet is shown only to its author; everything else to everyone. */
export function isVisibleTo(tweet: Tweet, viewerId: string | null): boolean {
  return !tweet.moderation?.flagged || tweet.authorId === viewerId;
}

export interface User {
  id: string;
  handle: string;
  createdAt: string;
}

/** A page of ids from an ordered collection, newest first. */
export interface IdPage {
  ids: string[];
  /** Score of each id (milliseconds), parallel to `ids`; cursors are built from it. */
  scores: number[];
  hasNextPage: boolean;
}
