import type { Position } from '../cursor.js';
import type { IdPage, ModerationVerdict, Tweet, TweetTags } from '../types.js';

/** The tweet store the consumers write and the API reads. Adapters implement these; only the composition root knows which. */

export interface TweetRepository {
  /** Idempotent: saving the same tweet twice leaves one copy. */
  save(tweet: Tweet): Promise<void>;
  /** Idempotent. The tweet's list of replies goes with it (the replies themselves stay). */
  remove(id: string, authorId: string): Promise<void>;
  /** Lists the reply under its parent, at the reply's time, unless the parent was deleted. Idempotent. */
  addReply(parentId: string, replyId: string): Promise<void>;
  removeReply(parentId: string, replyId: string): Promise<void>;
  /** How many replies each tweet lists, in input order; one round trip. */
  replyCounts(ids: readonly string[]): Promise<number[]>;
  /** A page of a tweet's replies, oldest first; `after` exclusive. */
  replies(parentId: string, first: number, after?: Position): Promise<IdPage>;
  /** One round trip, tags and moderation included; null for unknown or deleted ids, in input order. */
  getMany(ids: readonly string[]): Promise<(Tweet | null)[]>;
  getTags(id: string): Promise<TweetTags | null>;
  /** Idempotent (last write wins). */
  saveTags(id: string, tags: TweetTags): Promise<void>;
  removeTags(id: string): Promise<void>;
  getModeration(id: string): Promise<ModerationVerdict | null>;
  /** The verdicts of many tweets (null where none is stored yet), in input order; one round trip. */
  getModerations(ids: readonly string[]): Promise<(ModerationVerdict | null)[]>;
  saveModeration(id: string, verdict: ModerationVerdict): Promise<void>;
  removeModeration(id: string): Promise<void>;
}
