import { describe, expect, it } from 'vitest';
import type { PartitionRange } from '../../adapters/kafka/replay-subscriber.js';
import type { Subscriber } from '../../adapters/kafka/subscriber.js';
import { topicNaming } from '../../adapters/kafka/topics.js';
import type { ConsumerDefinition } from '../definition.js';
import { CONSUMER_GROUPS, GROUP_TOPICS, type ConsumerGroupName } from '../index.js';
import { RetryLaterError } from '../../domain/errors.js';
import {
  ClickEvent,
  SignalEvent,
  type LikeEvent,
  type UnlikeEvent,
  FollowEvent,
  makeEvent,
  TweetEvent,
  FanOutSliceEvent,
  type ModerationEvent,
  type RelationEvent,
  type TagEvent,
  type TopicName,
  type UserEvent,
} from '../../domain/events.js';
import type { Keyspace } from '../../domain/replay/ports.js';
import { createLogger } from '../../observability/logger.js';
import { kafkaMessage, recordingPublisher } from '../middleware/test-support.js';
import { OFFSETS_AFTER_REBUILD, REPLAY_ORDER, replayPlan } from './plan.js';
import { rebuildState, RebuildRefusedError, type RebuildDeps } from './rebuild.js';
import { restorers, type RestorerDeps } from './restorers.js';

const naming = topicNaming('ns.');
const logical = (physical: string) => physical.replace(/^ns\./, '');

const tweet = (id: string) => ({ id, authorId: '7', text: 'hello', createdAt: new Date().toISOString() });

/** One partition per topic, offsets from 0; `null` is a message that is not an event at all. */
function topicLog(contents: Partial<Record<TopicName, (object | null)[]>>, active: { group: string; state: string; members: number }[] = []) {
  const calls: string[] = [];
  const committed: Record<string, { partition: number; offset: string }[]> = {};
  const messages = (topic: TopicName) =>
    (contents[topic] ?? []).map((event, i) =>
      kafkaMessage({ topic: naming.topic(topic), partition: 0, offset: String(i), key: null, value: Buffer.from(event === null ? 'not json' : JSON.stringify(event)) }),
    );
  const admin: RebuildDeps['admin'] = {
    activeGroups: async () => active.map((g) => ({ ...g, group: naming.group(g.group) })),
    topicOffsets: async (topic) => [{ partition: 0, low: '0', high: String(messages(logical(topic) as TopicName).length) }],
    async setGroupOffsets(group, topic, offsets) {
      committed[`${logical(group)}/${logical(topic)}`] = [...offsets];
    },
  };
  /** The replay subscriber, faked: delivers the topic's messages in order. */
  const replay = (topic: string, _ranges: readonly PartitionRange[]): Subscriber => ({
    async subscribe(onMessage) {
      calls.push(`read ${logical(topic)}`);
      const done = (async () => {
        for (const m of messages(logical(topic) as TopicName)) {
          await onMessage(m, { canPause: false, heartbeat: async () => undefined, pauseUntil: () => undefined, release: () => undefined });
        }
      })();
      return { state: () => 'running', failure: () => undefined, done, stop: async () => undefined };
    },
  });
  const { publisher, raw: retried } = recordingPublisher();
  return { admin, replay, publisher, calls, committed, retried };
}

function fakeDeps(log: ReturnType<typeof topicLog>, options: { failTaste?: (attempt: number) => Error | null } = {}): RebuildDeps {
  const { calls } = log;
  let tasteAttempts = 0;
  const stored = new Set<string>();
  const handler = (group: ConsumerGroupName, schema: ConsumerDefinition['schema']) =>
    ({
      group,
      topic: GROUP_TOPICS[group],
      schema,
      async handle(event: { type: string; data: Record<string, unknown> }) {
        if (group === 'taste') {
          const err = options.failTaste?.(++tasteAttempts);
          if (err) throw err;
        }
        if (group === 'tweet-store' && event.type === 'tweet.created') stored.add((event.data.tweet as { id: string }).id);
        if (group === 'tweet-store' && event.type === 'tweet.deleted') stored.delete(event.data.id as string);
        calls.push(`${group} ${event.type}`);
        // Tweet 11's audience is large: the fanout group hands back two slices for fanout-slices.
        if (group === 'fanout' && event.type === 'tweet.created' && (event.data.tweet as { id: string }).id === '11') {
          return [null, 500].map((from) => ({
            topic: 'fanout-slices',
            key: `11:${from}`,
            event: makeEvent<FanOutSliceEvent>('fanout.slice', { tweet: tweet('11'), postedAt: 1, from, to: from === null ? 500 : null }),
          }));
        }
        return [];
      },
    }) as unknown as ConsumerDefinition<never>;
  const keyspace: Keyspace = {
    wipe: async () => {
      calls.push('wipe');
      return 3;
    },
    count: async () => 9,
  };
  const stores: RestorerDeps = {
    users: { restore: async ({ user }) => void calls.push(`restore ${user.handle}`) },
    graph: {
      follow: async (a, b, at) => calls.push(`follow ${a}->${b} @${at}`) > 0,
      unfollow: async (a, b) => calls.push(`unfollow ${a}->${b}`) > 0,
    },
    tweets: {
      getMany: async (ids) => ids.map((id) => (stored.has(id) ? tweet(id) : null)),
      saveTags: async (id, tags) => void calls.push(`tags ${id} ${tags.tags.join(',')}`),
      saveModeration: async (id, v) => void calls.push(`verdict ${id} ${v.flagged}`),
    },
    tagIndex: { add: async (id, tags) => void calls.push(`index ${id} ${tags.join(',')}`) },
    likes: {
      like: async (u, t, at) => ({ changed: calls.push(`like ${u}->${t} @${at}`) > 0, likeCount: 1 }),
      unlike: async (u, t) => ({ likedAt: calls.push(`unlike ${u}->${t}`) > 0 ? 6 : null, likeCount: 0 }),
    },
    relations: {
      add: async (kind, a, b, at) => calls.push(`${kind} ${a}->${b} @${at}`) > 0,
      remove: async (kind, a, b) => calls.push(`un${kind} ${a}->${b}`) > 0,
    },
    reposts: {
      add: async (t, u, at) => ({ added: calls.push(`repost ${u}->${t} @${at}`) > 0, deleted: false }),
      remove: async (t, u) => (calls.push(`unrepost ${u}->${t}`) > 0 ? 1 : null),
    },
  };
  const consumers = {
    'tweet-store': handler('tweet-store', TweetEvent),
    fanout: handler('fanout', TweetEvent),
    'fanout-slices': handler('fanout-slices', FanOutSliceEvent),
    'timeline-merge': handler('timeline-merge', FollowEvent),
    tagger: handler('tagger', TweetEvent),
    moderator: handler('moderator', TweetEvent),
    taste: handler('taste', SignalEvent),
    'notifications-follows': handler('notifications-follows', FollowEvent),
    'notifications-likes': handler('notifications-likes', SignalEvent),
    'notifications-tweets': handler('notifications-tweets', TweetEvent),
  };
  return {
    admin: log.admin,
    replay: log.replay,
    publisher: log.publisher,
    naming,
    keyspace,
    logger: createLogger({ level: 'silent' }),
    sleep: async () => undefined,
    plan: replayPlan(consumers, restorers(stores)),
    inline: { 'fanout-slices': consumers['fanout-slices'] },
  };
}

const everyTopic = () => ({
  users: [makeEvent<UserEvent>('user.registered', { user: { id: '7', handle: 'ann', createdAt: new Date().toISOString() }, passwordHash: 'scrypt$x' })],
  relations: [
    makeEvent<RelationEvent>('mute.created', { userId: '8', targetId: '9', at: 900 }),
    makeEvent<RelationEvent>('block.created', { userId: '7', targetId: '9', at: 950 }),
    makeEvent<RelationEvent>('mute.removed', { userId: '8', targetId: '9' }),
  ],
  follows: [
    makeEvent<FollowEvent>('follow.created', { followerId: '8', followeeId: '7', followedAt: 1000 }),
    makeEvent<FollowEvent>('follow.removed', { followerId: '8', followeeId: '7' }),
  ],
  tweets: [
    makeEvent<TweetEvent>('tweet.created', { tweet: tweet('11') }),
    makeEvent<TweetEvent>('tweet.created', { tweet: tweet('12') }),
    makeEvent<TweetEvent>('repost.created', { reposterId: '8', tweet: tweet('11'), repostedAt: 1100 }),
    makeEvent<TweetEvent>('repost.removed', { reposterId: '8', tweetId: '11', authorId: '7' }),
    makeEvent<TweetEvent>('tweet.deleted', { id: '12', authorId: '7' }),
    null,
  ],
  'tweet-tags': [
    makeEvent<TagEvent>('tweet.tagged', { tweetId: '11', authorId: '7', tags: ['sports_fans'], backend: 'lexicon' }),
    makeEvent<TagEvent>('tweet.tagged', { tweetId: '12', authorId: '7', tags: ['music'], backend: 'lexicon' }),
  ],
  'tweet-moderation': [makeEvent<ModerationEvent>('tweet.moderated', { tweetId: '11', authorId: '7', flagged: true, categories: ['spam'], backend: 'rules' })],
  clicks: [
    makeEvent<ClickEvent>('click.recorded', { userId: '8', tweetId: '11', clickedAt: 5 }),
    makeEvent<LikeEvent>('tweet.liked', { userId: '8', tweetId: '11', authorId: '7', likedAt: 6 }),
    makeEvent<LikeEvent>('tweet.liked', { userId: '8', tweetId: '12', authorId: '7', likedAt: 7 }),
    makeEvent<UnlikeEvent>('tweet.unliked', { userId: '8', tweetId: '11', authorId: '7', likedAt: 6, unlikedAt: 8 }),
  ],
});

describe('rebuild', () => {
  it('refuses while a consumer group has members, before touching anything', async () => {
    const log = topicLog(everyTopic(), [{ group: 'fanout', state: 'Stable', members: 2 }]);
    const { calls, committed } = log;
    await expect(rebuildState(fakeDeps(log))).rejects.toThrow(RebuildRefusedError);
    await expect(rebuildState(fakeDeps(log))).rejects.toThrow(/fanout \(2 members, Stable\)/);
    expect(calls).toEqual([]);
    expect(committed).toEqual({});
  });

  it('wipes, replays every topic in order through the real handlers, then moves the replayed groups to the watermarks', async () => {
    const log = topicLog(everyTopic());
    const { calls, committed } = log;
    const summary = await rebuildState(fakeDeps(log));

    expect(calls).toEqual([
      'wipe',
      'read users',
      'restore ann',
      'read relations',
      'mute 8->9 @900',
      'block 7->9 @950',
      'unmute 8->9',
      'read follows',
      'follow 8->7 @1000',
      'timeline-merge follow.created',
      // Notifications after the graph and timelines of the same message.
      'notifications-follows follow.created',
      'unfollow 8->7',
      'timeline-merge follow.removed',
      'notifications-follows follow.removed',
      'read tweets',
      'tweet-store tweet.created',
      'fanout tweet.created',
      // Its slices are written inline, in order, by the fanout-slices group's handler.
      'fanout-slices fanout.slice',
      'fanout-slices fanout.slice',
      'notifications-tweets tweet.created',
      'tweet-store tweet.created',
      'fanout tweet.created',
      'notifications-tweets tweet.created',
      // Reposts: the reposters restored before the fanout group's handler sees the same message.
      'tweet-store repost.created',
      'repost 8->11 @1100',
      'fanout repost.created',
      'notifications-tweets repost.created',
      'tweet-store repost.removed',
      'unrepost 8->11',
      'fanout repost.removed',
      'notifications-tweets repost.removed',
      'tweet-store tweet.deleted',
      'fanout tweet.deleted',
      'notifications-tweets tweet.deleted',
      'read tweet-tags',
      // Tweet 12 was deleted: its tags stay gone.
      'tags 11 sports_fans',
      'index 11 sports_fans',
      'read tweet-moderation',
      'verdict 11 true',
      'read clicks',
      'taste click.recorded',
      'notifications-likes click.recorded',
      // The like edges are restored before the taste group's handler sees the same message.
      'like 8->11 @6',
      'taste tweet.liked',
      'notifications-likes tweet.liked',
      // Tweet 12 was deleted: its likes stay gone.
      'taste tweet.liked',
      'notifications-likes tweet.liked',
      'unlike 8->11',
      'taste tweet.unliked',
      'notifications-likes tweet.unliked',
    ]);
    expect(summary).toMatchObject({
      keysRemoved: 3,
      keysWritten: 9,
      messages: { users: 1, relations: 3, follows: 2, tweets: 6, 'tweet-tags': 2, 'tweet-moderation': 1, clicks: 4 },
      skipped: { users: 0, follows: 0, tweets: 1, 'tweet-tags': 0, 'tweet-moderation': 0, clicks: 0 },
      deferredClicks: 0,
    });
    expect(committed).toEqual({
      'tweet-store/tweets': [{ partition: 0, offset: '6' }],
      'fanout/tweets': [{ partition: 0, offset: '6' }],
      'timeline-merge/follows': [{ partition: 0, offset: '2' }],
      'taste/clicks': [{ partition: 0, offset: '4' }],
      'notifications-follows/follows': [{ partition: 0, offset: '2' }],
      'notifications-likes/clicks': [{ partition: 0, offset: '4' }],
      'notifications-tweets/tweets': [{ partition: 0, offset: '6' }],
    });
  });

  it('hands a signal on a tweet not tagged yet to the taste retry topic, as the live group would', async () => {
    const log = topicLog(everyTopic());
    const summary = await rebuildState(fakeDeps(log, { failTaste: () => new RetryLaterError('tweet 11 is not tagged yet') }));
    expect(summary.deferredClicks).toBe(4);
    expect(log.retried).toHaveLength(4);
    expect(log.retried[0]).toMatchObject({ topic: 'ns.clicks.taste.retry', record: { headers: { 'x-attempt': '2', 'x-original-topic': 'ns.clicks', 'x-original-offset': '0' } } });
  });

  it('retries a step that fails for a while, and aborts without moving any offset when it keeps failing', async () => {
    const blip = topicLog(everyTopic());
    const recovered = await rebuildState(fakeDeps(blip, { failTaste: (n) => (n < 3 ? new Error('redis down') : null) }));
    expect(recovered.messages.clicks).toBe(4);

    const outage = topicLog(everyTopic());
    await expect(rebuildState(fakeDeps(outage, { failTaste: () => new Error('redis down') }))).rejects.toThrow(
      /rebuild aborted at ns\.clicks\/0@0 after 5 attempts: redis down/,
    );
    expect(outage.committed).toEqual({});
  });

  it('replays every topic, and decides for every group where it continues', () => {
    expect([...REPLAY_ORDER].sort()).toEqual(Object.keys(fakeDeps(topicLog({})).plan).sort());
    expect(new Set(REPLAY_ORDER).size).toBe(REPLAY_ORDER.length);
    expect(Object.keys(OFFSETS_AFTER_REBUILD).sort()).toEqual([...CONSUMER_GROUPS].sort());
  });
});
