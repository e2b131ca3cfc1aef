import { FollowEvent, ModerationEvent, RelationEvent, SignalEvent, TagEvent, TweetEvent, UserEvent } from '../../domain/events.js';
import type { RepostStore } from '../../domain/reposts/ports.js';
import type { LikeStore } from '../../domain/likes/ports.js';
import type { FollowGraph } from '../../domain/follows/ports.js';
import type { RelationStore } from '../../domain/relations/ports.js';
import type { TagIndex } from '../../domain/tags/ports.js';
import type { TweetRepository } from '../../domain/tweets/ports.js';
import type { UserRepository } from '../../domain/users/ports.js';
import { defineConsumer } from '../definition.js';

export interface RestorerDeps {
  users: Pick<UserRepository, 'restore'>;
  graph: Pick<FollowGraph, 'follow' | 'unfollow'>;
  tweets: Pick<TweetRepository, 'getMany' | 'saveTags' | 'saveModeration'>;
  tagIndex: Pick<TagIndex, 'add'>;
  likes: Pick<LikeStore, 'like' | 'unlike'>;
  relations: Pick<RelationStore, 'add' | 'remove'>;
  reposts: Pick<RepostStore, 'add' | 'remove'>;
}

/**
 * Handlers that exist only for a replay: what the API writes to Redis itself (users, the follow
 * graph, likes, mutes and blocks, reposts), and what the tagger and moderator stored beside the tweets (restored from their topics,
 * without asking an LLM). Declared like consumer groups so the replay runs them through the same
 * router; their names are never Kafka groups.
 */
export function restorers(deps: RestorerDeps) {
  return {
    users: defineConsumer<UserEvent>({
      group: 'restore-users',
      topic: 'users',
      schema: UserEvent,
      handle: async (event) => void (await deps.users.restore(event.data)),
    }),
    followGraph: defineConsumer<FollowEvent>({
      group: 'restore-follow-graph',
      topic: 'follows',
      schema: FollowEvent,
      async handle({ type, data, producedAt }) {
        if (type === 'follow.created') await deps.graph.follow(data.followerId, data.followeeId, data.followedAt ?? producedAt);
        else await deps.graph.unfollow(data.followerId, data.followeeId);
      },
    }),
    relations: defineConsumer<RelationEvent>({
      group: 'restore-relations',
      topic: 'relations',
      schema: RelationEvent,
      async handle(event) {
        const { userId, targetId } = event.data;
        switch (event.type) {
          case 'mute.created':
            return void (await deps.relations.add('mute', userId, targetId, event.data.at));
          case 'mute.removed':
            return void (await deps.relations.remove('mute', userId, targetId));
          case 'block.created':
            return void (await deps.relations.add('block', userId, targetId, event.data.at));
          case 'block.removed':
            return void (await deps.relations.remove('block', userId, targetId));
        }
      },
    }),
    tags: defineConsumer<TagEvent>({
      group: 'restore-tags',
      topic: 'tweet-tags',
      schema: TagEvent,
      async handle(event) {
        const { tweetId, tags, backend, taggedAt } = event.data;
        // The topic is compacted by tweet id but never forgets a deleted tweet: its tags stay gone.
        const [tweet] = await deps.tweets.getMany([tweetId]);
        if (!tweet) return;
        await deps.tweets.saveTags(tweetId, { tags, backend, ...(taggedAt ? { taggedAt } : {}) });
        await deps.tagIndex.add(tweetId, tags);
      },
    }),
    verdicts: defineConsumer<ModerationEvent>({
      group: 'restore-verdicts',
      topic: 'tweet-moderation',
      schema: ModerationEvent,
      async handle(event) {
        const { tweetId, flagged, categories, labels, backend } = event.data;
        const [tweet] = await deps.tweets.getMany([tweetId]);
        if (!tweet) return;
        await deps.tweets.saveModeration(tweetId, { flagged, categories, ...(labels ? { labels } : {}), backend });
      },
    }),
    reposts: defineConsumer<TweetEvent>({
      group: 'restore-reposts',
      topic: 'tweets',
      schema: TweetEvent,
      // A repost of a tweet deleted before it is refused by the tombstone; one deleted after goes with the tweet's keys.
      async handle(event) {
        if (event.type === 'repost.created') await deps.reposts.add(event.data.tweet.id, event.data.reposterId, event.data.repostedAt);
        else if (event.type === 'repost.removed') await deps.reposts.remove(event.data.tweetId, event.data.reposterId);
      },
    }),
    likes: defineConsumer<SignalEvent>({
      group: 'restore-likes',
      topic: 'clicks',
      schema: SignalEvent,
      // Before the taste group's handler of the same message: it learns a like only while the like is there.
      async handle(event) {
        if (event.type !== 'tweet.liked' && event.type !== 'tweet.unliked') return;
        const { userId, tweetId } = event.data;
        if (event.type === 'tweet.unliked') return void (await deps.likes.unlike(userId, tweetId));
        // A deleted tweet's likes stay gone, count included.
        const [tweet] = await deps.tweets.getMany([tweetId]);
        if (tweet) await deps.likes.like(userId, tweetId, event.data.likedAt);
      },
    }),
  };
}
