import type { GroupBinding } from '../adapters/kafka/topics.js';
import type { TopicName } from '../domain/events.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { TasteStore } from '../domain/ranking/ports.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { RepostStore } from '../domain/reposts/ports.js';
import type { TagIndex } from '../domain/tags/ports.js';
import type { FanOutCheckpoints, TimelineStore } from '../domain/timelines/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { FanOutPolicy } from '../services/fan-out.js';
import type { Moderation } from '../services/moderation.js';
import type { Tagging } from '../services/tagging.js';
import type { ConsumerDefinition } from './definition.js';
import { fanOutConsumer } from './fan-out.js';
import { fanOutSlicesConsumer } from './fan-out-slices.js';
import { moderatorConsumer } from './moderator.js';
import { taggerConsumer } from './tagger.js';
import { tasteConsumer } from './taste.js';
import { timelineMergeConsumer } from './timeline-merge.js';
import { tweetStoreConsumer } from './tweet-store.js';
import { notificationConsumers } from './notifications.js';
import type { ActorFilter, NotificationStore } from '../domain/notifications/ports.js';
import type { LikeStore } from '../domain/likes/ports.js';

/** Every consumer group this service runs, by name. `consume <group>` picks one. */
export const CONSUMER_GROUPS = [
  'tweet-store',
  'fanout',
  'fanout-slices',
  'timeline-merge',
  'tagger',
  'moderator',
  'taste',
  'notifications-follows',
  'notifications-likes',
  'notifications-tweets',
] as const;
export type ConsumerGroupName = (typeof CONSUMER_GROUPS)[number];

/**
 * The topic each group reads, known without building the groups (topic creation and the `dlq` and
 * `lag` commands need it). A unit test checks it against the definitions.
 */
export const GROUP_TOPICS: Record<ConsumerGroupName, TopicName> = {
  'tweet-store': 'tweets',
  fanout: 'tweets',
  'fanout-slices': 'fanout-slices',
  'timeline-merge': 'follows',
  tagger: 'tweets',
  moderator: 'tweets',
  taste: 'clicks',
  'notifications-follows': 'follows',
  'notifications-likes': 'clicks',
  'notifications-tweets': 'tweets',
};

export const GROUP_BINDINGS: readonly GroupBinding[] = CONSUMER_GROUPS.map((group) => ({ group, topic: GROUP_TOPICS[group] }));

export function isConsumerGroupName(name: string): name is ConsumerGroupName {
  return (CONSUMER_GROUPS as readonly string[]).includes(name);
}

export interface ConsumerDeps {
  tweets: TweetRepository;
  timelines: TimelineStore;
  graph: FollowGraph;
  tagIndex: TagIndex;
  tagging: Tagging;
  moderation: Moderation;
  live: LivePublisher;
  checkpoints: FanOutCheckpoints;
  taste: TasteStore;
  relations: RelationStore;
  fanOutPolicy: FanOutPolicy;
  notifications: NotificationStore;
  actorFilter: ActorFilter;
  likes: Pick<LikeStore, 'likedAmong'>;
  reposts: Pick<RepostStore, 'has'>;
}

export function consumerDefinitions(deps: ConsumerDeps): Record<ConsumerGroupName, ConsumerDefinition<never>> {
  // Each definition keeps its own event type; the record erases it for uniform handling by the runner.
  const erase = <E>(d: ConsumerDefinition<E>) => d as unknown as ConsumerDefinition<never>;
  const notifications = notificationConsumers(deps);
  return {
    'tweet-store': erase(tweetStoreConsumer(deps)),
    fanout: erase(fanOutConsumer({ ...deps, policy: deps.fanOutPolicy })),
    'fanout-slices': erase(fanOutSlicesConsumer({ ...deps, chunkSize: deps.fanOutPolicy.chunkSize })),
    'timeline-merge': erase(timelineMergeConsumer(deps)),
    tagger: erase(taggerConsumer(deps)),
    moderator: erase(moderatorConsumer(deps)),
    taste: erase(tasteConsumer(deps)),
    'notifications-follows': erase(notifications.follows),
    'notifications-likes': erase(notifications.likes),
    'notifications-tweets': erase(notifications.tweets),
  };
}
