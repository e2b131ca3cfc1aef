import type { ConsumerDefinition, HandlerContext } from '../consumers/definition.js';
import { DEFAULT_RETRY_POLICY, HEADERS, planFailure } from '../consumers/failure-policy.js';
import type { ConsumerGroupName } from '../consumers/index.js';
import { decodeMessage } from '../consumers/runner.js';
import { RetryLaterError } from '../domain/errors.js';
import { ModerationEvent, TagEvent, UserEvent, type FollowEvent, type TopicName } from '../domain/events.js';
import type { EventLog, FollowGraph, LoggedMessage, TagIndex, TweetRepository, UserRepository } from '../domain/ports.js';
import type { z } from 'zod';

/** What became of one replayed message. */
export type ReplayOutcome =
  | { kind: 'applied' }
  /** Undecodable, or its handler said retrying cannot help: the live group dead-lettered it too. */
  | { kind: 'skipped'; reason: string }
  /** Not ready yet (a click on a tweet not tagged yet): handed to the group's retry topic. */
  | { kind: 'deferred'; reason: string };

export type ReplayStep = (message: LoggedMessage, ctx: HandlerContext) => Promise<ReplayOutcome>;

export interface ReplayDeps {
  users: Pick<UserRepository, 'restore'>;
  graph: Pick<FollowGraph, 'follow' | 'unfollow'>;
  tweets: Pick<TweetRepository, 'getMany' | 'saveTags' | 'saveModeration'>;
  tagIndex: Pick<TagIndex, 'add'>;
  /**
   * The real consumer groups (consumerDefinitions), built with a live publisher that publishes
   * nothing and with tagging and moderation that refuse to run: the replay never calls them.
   */
  consumers: Record<ConsumerGroupName, ConsumerDefinition<never>>;
  log: Pick<EventLog, 'handToRetry'>;
}

/**
 * Topics in the order a rebuild replays them: users before the follows that name them, the
 * follow graph before the tweets fanned out along it, tweets before the tags and verdicts stored
 * beside them, tags before the clicks that learn from them.
 */
export const REPLAY_ORDER: readonly ReplayedTopic[] = ['users', 'follows', 'tweets', 'tweet-tags', 'tweet-moderation', 'clicks'];

/**
 * Every topic but `fanout-chunks`: its slices are work derived from tweets, and replaying the
 * tweets produces (and writes) them again.
 */
export type ReplayedTopic = Exclude<TopicName, 'fanout-chunks'>;

const applied: ReplayOutcome = { kind: 'applied' };

/**
 * What replaying each topic does with one message. Consumer groups' own handlers do their part, so
 * state they maintain comes back as they maintain it; what the API writes itself (users and the
 * follow graph) is written as the API writes it; what the tagger and moderator published is
 * stored as they stored it, without asking an LLM.
 */
export function replaySteps(deps: ReplayDeps): Record<ReplayedTopic, ReplayStep> {
  const { consumers } = deps;
  const decode = <E>(schema: z.ZodType<E>, message: LoggedMessage) => decodeMessage({ schema }, message.value);
  const run = (group: ConsumerGroupName, event: unknown, ctx: HandlerContext) => consumers[group].handle(event as never, ctx);

  return {
    async users(message) {
      const decoded = decode(UserEvent, message);
      if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
      await deps.users.restore(decoded.event.data);
      return applied;
    },

    async follows(message, ctx) {
      const decoded = decode(consumers['timeline-merge'].schema as z.ZodType<FollowEvent>, message);
      if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
      const { type, data, producedAt } = decoded.event;
      if (type === 'follow.created') await deps.graph.follow(data.followerId, data.followeeId, data.followedAt ?? producedAt);
      else await deps.graph.unfollow(data.followerId, data.followeeId);
      await run('timeline-merge', decoded.event, ctx);
      return applied;
    },

    async tweets(message, ctx) {
      const decoded = decode(consumers['tweet-store'].schema as z.ZodType<unknown>, message);
      if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
      // Per message, store then fan out, as the two groups would have reached it.
      await run('tweet-store', decoded.event, ctx);
      const slices = (await run('fanout', decoded.event, ctx)) ?? [];
      // A large audience comes back as slices for the fanout-chunks group: written here, in order.
      for (const slice of slices) if (slice.topic === 'fanout-chunks') await run('fanout-chunks', slice.event, ctx);
      return applied;
    },

    async 'tweet-tags'(message) {
      const decoded = decode(TagEvent, message);
      if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
      const { tweetId, tags, backend, taggedAt } = decoded.event.data;
      // The topic is compacted by tweet id but never forgets a deleted tweet: its tags stay gone.
      const [tweet] = await deps.tweets.getMany([tweetId]);
      if (!tweet) return applied;
      await deps.tweets.saveTags(tweetId, { tags, backend, ...(taggedAt ? { taggedAt } : {}) });
      await deps.tagIndex.add(tweetId, tags);
      return applied;
    },

    async 'tweet-moderation'(message) {
      const decoded = decode(ModerationEvent, message);
      if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
      const { tweetId, flagged, categories, labels, backend } = decoded.event.data;
      const [tweet] = await deps.tweets.getMany([tweetId]);
      if (!tweet) return applied;
      await deps.tweets.saveModeration(tweetId, { flagged, categories, ...(labels ? { labels } : {}), backend });
      return applied;
    },

    async clicks(message, ctx) {
      const decoded = decode(consumers.taste.schema as z.ZodType<unknown>, message);
      if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
      try {
        await run('taste', decoded.event, ctx);
        return applied;
      } catch (err) {
        if (!(err instanceof RetryLaterError)) throw err;
        // The tagger had not reached the tweet when the rebuild began; it keeps its position, so it
        // will. Exactly what the live group does with such a click: its retry topic, attempt 2.
        const plan = planFailure(1, err, DEFAULT_RETRY_POLICY, Date.now());
        if (plan.kind !== 'retry') return { kind: 'skipped', reason: plan.reason };
        await deps.log.handToRetry('taste', 'clicks', message, {
          [HEADERS.originalTopic]: message.headers[HEADERS.originalTopic] ?? message.topic,
          [HEADERS.originalPartition]: message.headers[HEADERS.originalPartition] ?? String(message.partition),
          [HEADERS.originalOffset]: message.headers[HEADERS.originalOffset] ?? message.offset,
          [HEADERS.attempt]: String(plan.attempt),
          [HEADERS.notBefore]: String(plan.notBefore),
          [HEADERS.error]: err.message.slice(0, 2000),
        });
        return { kind: 'deferred', reason: err.message };
      }
    },
  };
}
