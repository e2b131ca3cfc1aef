import type { ModerationVerdict, Tweet, TweetTags } from '../types.js';

/** The tweet store the consumers write and the API reads. Adapters implement these; only the composition root knows which. */

export interface TweetRepository {
  /** Idempotent: saving the same tweet twice leaves one copy. */
  save(tweet: Tweet): Promise<void>;
  /** Idempotent. */
  remove(id: string, authorId: string): Promise<void>;
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
