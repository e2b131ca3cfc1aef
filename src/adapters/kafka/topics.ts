import type { TopicName } from '../../domain/events.js';

/** Topic names with the deployment's namespace applied; the one place physical names are built. */
export interface TopicNaming {
  topic(name: TopicName): string;
  group(name: string): string;
  /** `<topic>.<group>.retry`: failed messages of one group waiting for another attempt. */
  retryTopic(topic: TopicName, group: string): string;
  /** `<topic>.<group>.dlq`: messages one group gave up on, with the error. */
  deadLetterTopic(topic: TopicName, group: string): string;
}

export function topicNaming(namespace: string): TopicNaming {
  return {
    topic: (name) => `${namespace}${name}`,
    group: (name) => `${namespace}${name}`,
    retryTopic: (topic, group) => `${namespace}${topic}.${group}.retry`,
    deadLetterTopic: (topic, group) => `${namespace}${topic}.${group}.dlq`,
  };
}

/** A consumer group and the topic it reads: each has its own retry and dead-letter topics. */
export interface GroupBinding {
  group: string;
  topic: TopicName;
}

/**
 * Topics this service owns. Kafka is the record of users, tweets, follows and clicks: `rebuild`
 * replays them into an empty Redis. Tweets, follows and clicks keep their data (unlimited
 * retention); they are keyed by author, follower and user, which keeps each user's events in order
 * on one partition. Users and the derived streams (tags, moderation) are compacted by their id: only
 * the latest record of each matters.
 */
export const TOPIC_SPECS: Record<TopicName, { configEntries: { name: string; value: string }[] }> = {
  // Keyed by user id. Holds password hashes: grant read access to this service alone.
  users: { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  tweets: { configEntries: [{ name: 'retention.ms', value: '-1' }] },
  follows: { configEntries: [{ name: 'retention.ms', value: '-1' }] },
  // Mutes and blocks, keyed by the user who acted: every change is kept, like follows.
  relations: { configEntries: [{ name: 'retention.ms', value: '-1' }] },
  // Keyed by tweet id; only the latest verdict per tweet matters, so compaction keeps the topic small.
  'tweet-tags': { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  'tweet-moderation': { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  // Keyed by user. Kept like tweets: clicks are the record a user's taste is rebuilt from.
  clicks: { configEntries: [{ name: 'retention.ms', value: '-1' }] },
  // Work items, derived from tweets: a day is plenty to finish or re-drive them.
  'fanout-slices': { configEntries: [{ name: 'retention.ms', value: String(24 * 60 * 60 * 1000) }] },
};
