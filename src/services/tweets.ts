import { forbidden, notFound } from '../domain/errors.js';
import { makeEvent, type TweetEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import { mentionedHandles } from '../domain/mentions.js';
import { refuseAcrossBlock } from '../domain/relations/block-refusal.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { UserRepository } from '../domain/users/ports.js';
import { snowflakeTime, type SnowflakeGenerator } from '../domain/snowflake.js';
import type { Tweet } from '../domain/types.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { validateId, validateTweetText } from '../domain/validation.js';

/** Posting, deleting, following, unfollowing, muting and blocking (and their undoing) spend one budget per user (MUTATION_RATE_LIMIT a minute), before any other work. */
export interface TweetCommands {
  /**
   * Spends a unit of the author's write budget (RATE_LIMITED when spent), validates and cleans the text (validation.ts), assigns a Snowflake id and publishes `tweet.created` keyed by author; resolves once
   * the broker acknowledged it. Stores nothing itself: the tweet-store group does. With `replyTo`,
   * the tweet replies to that one: NOT_FOUND when it is unknown or deleted (or hidden from the
   * author by moderation), FORBIDDEN when it is the author's own hidden tweet, BLOCKED when a block
   * stands between the two authors. `@handle`s of the cleaned text naming existing users (at most
   * `mentionsPerTweet` distinct ones, the author excluded) go into the event as `mentionIds`, from
   * which the notifications group notifies them; other `@words` are text. BLOCKED when a block
   * stands between the author and one of them. Nothing is published when it throws.
   */
  postTweet(authorId: string, text: string, replyTo?: string | null): Promise<Tweet>;
  /** Spends a unit of the write budget, then publishes `tweet.deleted`. NOT_FOUND for unknown ids, FORBIDDEN for someone else's tweet. */
  deleteTweet(userId: string, tweetId: string): Promise<void>;
}

export function createTweetCommands(deps: {
  ids: SnowflakeGenerator;
  tweets: TweetRepository;
  users: Pick<UserRepository, 'findIdByHandle'>;
  relations: Pick<RelationStore, 'blockStates'>;
  events: EventPublisher;
  writeBudget: RateLimiter;
  mentionsPerTweet: number;
}): TweetCommands {
  /** The tweet replied to, if the author may reply to it. */
  async function parentOf(authorId: string, replyTo: string): Promise<Tweet> {
    validateId(replyTo, 'replyTo');
    const [parent] = await deps.tweets.getMany([replyTo]);
    if (!parent) throw notFound(`tweet ${replyTo} not found (unknown or deleted): nothing to reply to`);
    if (parent.moderation?.flagged) {
      if (parent.authorId !== authorId) throw notFound(`tweet ${replyTo} not found (unknown or deleted): nothing to reply to`);
      throw forbidden('this tweet is hidden by moderation: it cannot be replied to');
    }
    return parent;
  }

  /**
   * Ids of the existing users the text mentions, in order, the author left out (one lookup each,
   * sent together); BLOCKED if a block stands between the author and one of them or the author replied to.
   */
  async function mentionsOf(authorId: string, text: string, parentAuthor: string | null): Promise<string[]> {
    const handles = mentionedHandles(text, deps.mentionsPerTweet);
    const ids = await Promise.all(handles.map((h) => deps.users.findIdByHandle(h)));
    const found = handles.map((handle, i) => ({ handle, id: ids[i] })).filter((m): m is { handle: string; id: string } => m.id != null && m.id !== authorId);
    const others = [...new Set([...found.map((m) => m.id), ...(parentAuthor && parentAuthor !== authorId ? [parentAuthor] : [])])];
    // No one else named: no block to look up (and no round trip).
    const states = others.length > 0 ? await deps.relations.blockStates(authorId, others) : [];
    others.forEach((id, i) => {
      const who = found.find((m) => m.id === id)?.handle;
      const replied = id === parentAuthor;
      refuseAcrossBlock(states[i], who ? `@${who}` : 'the author of that tweet', replied ? 'reply to' : 'mention', replied ? 'replyTo' : 'text');
    });
    return [...new Set(found.map((m) => m.id))];
  }

  return {
    async postTweet(authorId, text, replyTo) {
      await withinRateLimit(deps.writeBudget, authorId, 'requests');
      const cleaned = validateTweetText(text);
      const parent = replyTo == null ? null : await parentOf(authorId, replyTo);
      const mentionIds = await mentionsOf(authorId, cleaned, parent?.authorId ?? null);
      const id = deps.ids.next();
      const tweet: Tweet = {
        id,
        authorId,
        text: cleaned,
        createdAt: new Date(snowflakeTime(id)).toISOString(),
        ...(parent ? { replyTo: { id: parent.id, authorId: parent.authorId } } : {}),
        ...(mentionIds.length > 0 ? { mentionIds } : {}),
      };
      await deps.events.publish('tweets', authorId, makeEvent<TweetEvent>('tweet.created', { tweet }));
      return tweet;
    },
    async deleteTweet(userId, tweetId) {
      await withinRateLimit(deps.writeBudget, userId, 'requests');
      validateId(tweetId);
      const [tweet] = await deps.tweets.getMany([tweetId]);
      if (!tweet) throw notFound(`tweet ${tweetId} not found`);
      if (tweet.authorId !== userId) throw forbidden('only the author may delete a tweet');
      const data = { id: tweetId, authorId: tweet.authorId, ...(tweet.replyTo ? { replyToId: tweet.replyTo.id } : {}) };
      await deps.events.publish('tweets', tweet.authorId, makeEvent<TweetEvent>('tweet.deleted', data));
    },
  };
}
