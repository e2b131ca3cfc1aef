import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MODERATION_CATEGORIES, SEVERITIES } from './moderation/categories.js';

/**
 * The versioned envelope every Kafka message carries, and the events of each topic.
 * Consumers validate with these schemas on decode; a message that fails is not processed.
 */
export const ENVELOPE_VERSION = 1;

const Id = z.string().regex(/^[1-9][0-9]{0,18}$/);

const TweetRecord = z.object({
  id: Id,
  authorId: Id,
  text: z.string().min(1).max(4 * 280),
  createdAt: z.iso.datetime(),
  /** The tweet this one replies to, and its author; absent for a tweet that replies to none. */
  replyTo: z.object({ id: Id, authorId: Id }).optional(),
  /** Users the text @mentions, validated when it was posted (existing users, no block between); absent when none. */
  mentionIds: z.array(Id).max(50).optional(),
});

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    v: z.literal(ENVELOPE_VERSION),
    type: z.literal(type),
    /** Unique per event; consumers use it for logs and correlation. */
    id: z.string().min(1).max(64),
    /** Unix ms when the producer created the message; lag is measured from it. */
    producedAt: z.number().int().positive(),
    data,
  });

export const TweetEvent = z.discriminatedUnion('type', [
  envelope('tweet.created', z.object({ tweet: TweetRecord })),
  /** `replyToId`: the deleted tweet was a reply to it (absent in events from before replies). */
  envelope('tweet.deleted', z.object({ id: Id, authorId: Id, replyToId: Id.optional() })),
  /**
   * `repost(id)`, keyed by the reposter (the API already wrote `tweet:{id}:reposters`): the
   * reposted tweet as stored, and the repost's time (its score there and in home timelines). The
   * fanout group delivers the tweet to the reposter's followers; the other groups of the topic ignore it.
   */
  envelope('repost.created', z.object({ reposterId: Id, tweet: TweetRecord, repostedAt: z.number().int().positive() })),
  /** `unrepost(id)`, keyed by the reposter, after the API removed the repost; home pages stop showing it at once (read-time rule). */
  envelope('repost.removed', z.object({ reposterId: Id, tweetId: Id, authorId: Id })),
]);
export type TweetEvent = z.infer<typeof TweetEvent>;

/**
 * Published by the API after it wrote the follow graph, keyed by follower. `followedAt` is the
 * edge's score in the graph, so a rebuild restores it exactly; events from before it existed fall
 * back to `producedAt`.
 */
export const FollowEvent = z.discriminatedUnion('type', [
  envelope('follow.created', z.object({ followerId: Id, followeeId: Id, followedAt: z.number().int().positive().optional() })),
  envelope('follow.removed', z.object({ followerId: Id, followeeId: Id })),
]);
export type FollowEvent = z.infer<typeof FollowEvent>;

/**
 * Published by the API after it wrote a mute or block (and, for a block, removed the follows both
 * ways, each with its own `follow.removed`), keyed by the user who acted. `at` is the relation's
 * time in the store, so a rebuild restores it exactly. No consumer group reads the topic live: it
 * is the record `rebuild` restores mutes and blocks from.
 */
export const RelationEvent = z.discriminatedUnion('type', [
  envelope('mute.created', z.object({ userId: Id, targetId: Id, at: z.number().int().positive() })),
  envelope('mute.removed', z.object({ userId: Id, targetId: Id })),
  envelope('block.created', z.object({ userId: Id, targetId: Id, at: z.number().int().positive() })),
  envelope('block.removed', z.object({ userId: Id, targetId: Id })),
]);
export type RelationEvent = z.infer<typeof RelationEvent>;

const UserRecord = z.object({
  id: Id,
  handle: z.string().min(1).max(64),
  createdAt: z.iso.datetime(),
});

/**
 * Published by signUp, keyed by user id, to the compacted `users` topic: the record users and
 * their password hashes are rebuilt from. It carries a scrypt hash (never a password), but the
 * topic must still be readable only by this service.
 */
export const UserEvent = z.discriminatedUnion('type', [
  envelope('user.registered', z.object({ user: UserRecord, passwordHash: z.string().min(1).max(512) })),
]);
export type UserEvent = z.infer<typeof UserEvent>;

const TagName = z.string().regex(/^[a-z0-9_]{1,40}$/);

/** Published by the tagger, keyed by tweet id (compacted topic: the latest tags of a tweet win). */
export const TagEvent = z.discriminatedUnion('type', [
  envelope(
    'tweet.tagged',
    z.object({
      tweetId: Id,
      authorId: Id,
      tags: z.array(TagName).max(5),
      backend: z.enum(['openai', 'offline', 'lexicon']),
      /** When the tags were chosen; absent in events from before it was sent. */
      taggedAt: z.iso.datetime().optional(),
    }),
  ),
]);
export type TagEvent = z.infer<typeof TagEvent>;

/** Published by the moderator, keyed by tweet id (compacted topic). */
export const ModerationEvent = z.discriminatedUnion('type', [
  envelope(
    'tweet.moderated',
    z.object({
      tweetId: Id,
      authorId: Id,
      flagged: z.boolean(),
      categories: z.array(z.string().max(64)).max(32),
      /** Absent in events from before labels existed. */
      labels: z
        .array(z.object({ category: z.enum(MODERATION_CATEGORIES), severity: z.enum(SEVERITIES), source: z.string().max(64) }))
        .max(MODERATION_CATEGORIES.length)
        .optional(),
      backend: z.enum(['openai', 'offline', 'rules']),
    }),
  ),
]);
export type ModerationEvent = z.infer<typeof ModerationEvent>;

/**
 * What teaches a user's taste, on topic `clicks` (its name from when clicks were all it carried;
 * renaming it would be a migration: the taste group's offsets and the record taste is rebuilt from
 * live there), keyed by the user so one user's signals stay in order. Every time field is when the
 * user acted: the taste group decays weights from it, so a replay computes the same taste.
 *
 * - `click.recorded`: the user opened a tweet (recordClick). Only the taste group writes for it.
 * - `tweet.liked` / `tweet.unliked`: likeTweet / unlikeTweet, published after the API wrote the like
 *   (the like edge and the tweet's count); the liker, the tweet and its author, for whoever else
 *   wants likes (notifications). `likedAt` of an unlike is the time of the like it undoes.
 * - `tweet.not_interested`: notInterested, after the API hid the tweet from the user's forYou.
 * - `taste.tag_removed`: removeTasteTag, after the API removed the tag.
 * - `taste.interests_set`: setInterests, after the API stored the chosen tags (the whole set).
 *
 * The API applies its own writes at once; the taste group applies the same events idempotently,
 * which is also how `rebuild` restores them.
 */
export const ClickEvent = envelope('click.recorded', z.object({ userId: Id, tweetId: Id, clickedAt: z.number().int().positive() }));
const Ms = z.number().int().positive();
export const LikeEvent = envelope('tweet.liked', z.object({ userId: Id, tweetId: Id, authorId: Id, likedAt: Ms }));
export const UnlikeEvent = envelope('tweet.unliked', z.object({ userId: Id, tweetId: Id, authorId: Id, likedAt: Ms, unlikedAt: Ms }));
export const NotInterestedEvent = envelope('tweet.not_interested', z.object({ userId: Id, tweetId: Id, authorId: Id, at: Ms }));
export const TagRemovedEvent = envelope('taste.tag_removed', z.object({ userId: Id, tag: TagName, at: Ms }));
export const InterestsSetEvent = envelope('taste.interests_set', z.object({ userId: Id, tags: z.array(TagName).max(64), at: Ms }));
export const SignalEvent = z.discriminatedUnion('type', [ClickEvent, LikeEvent, UnlikeEvent, NotInterestedEvent, TagRemovedEvent, InterestsSetEvent]);
export type SignalEvent = z.infer<typeof SignalEvent>;
export type ClickEvent = z.infer<typeof ClickEvent>;
export type LikeEvent = z.infer<typeof LikeEvent>;
export type UnlikeEvent = z.infer<typeof UnlikeEvent>;
export type NotInterestedEvent = z.infer<typeof NotInterestedEvent>;
export type TagRemovedEvent = z.infer<typeof TagRemovedEvent>;
export type InterestsSetEvent = z.infer<typeof InterestsSetEvent>;

/**
 * One slice of a large fan-out, produced by the `fanout` group and run by `fanout-slices`: the
 * author's followers whose follow time (ms) is in [from, to); null means unbounded. Keyed by
 * `<tweet id>:<slice>` so the slices spread over partitions and consumers.
 */
export const FanOutSliceEvent = z.discriminatedUnion('type', [
  envelope(
    'fanout.slice',
    z.object({
      tweet: TweetRecord,
      /** When the tweet was posted (the tweets message's producedAt), for live-push latency. */
      postedAt: z.number().int().positive(),
      from: z.number().nullable(),
      to: z.number().nullable(),
      /** Present for a slice of a repost's fan-out: the reposter's followers, at the repost's time (absent in slices of tweets). */
      repost: z.object({ reposterId: Id, repostedAt: z.number().int().positive() }).optional(),
    }),
  ),
]);
export type FanOutSliceEvent = z.infer<typeof FanOutSliceEvent>;

/** The event type each topic carries. */
export interface TopicEvents {
  users: UserEvent;
  tweets: TweetEvent;
  follows: FollowEvent;
  relations: RelationEvent;
  'tweet-tags': TagEvent;
  'tweet-moderation': ModerationEvent;
  clicks: SignalEvent;
  'fanout-slices': FanOutSliceEvent;
}
export type TopicName = keyof TopicEvents;

/** A message to produce: topic, partition key and event, with the event's type tied to the topic. */
export type OutgoingMessage = { [T in TopicName]: { topic: T; key: string; event: TopicEvents[T] } }[TopicName];

type AnyEvent = TopicEvents[TopicName];

/** Builds an envelope with a fresh id and the current time. */
export function makeEvent<E extends AnyEvent>(type: E['type'], data: E['data'], now = Date.now()): E {
  return { v: ENVELOPE_VERSION, type, id: randomUUID(), producedAt: now, data } as E;
}

export interface EventPublisher {
  /**
   * Resolves once the broker acknowledged the message (acks=all); rejects with
   * SERVICE_UNAVAILABLE otherwise (then the message may or may not have been written).
   */
  publish<T extends TopicName>(topic: T, key: string, event: TopicEvents[T]): Promise<void>;
}

/** What a consumer's produce step needs: several messages sent together. */
export interface BatchPublisher {
  /**
   * Sends the messages in order, together (one produce request where they fit), and resolves once
   * the broker acknowledged every one (acks=all); rejects with SERVICE_UNAVAILABLE if any was not
   * (then any of them may or may not have been written). Empty: resolves at once.
   */
  publishAll(messages: readonly OutgoingMessage[]): Promise<void>;
}
