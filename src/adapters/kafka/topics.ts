import type { Admin } from 'kafkajs';
import type { TopicName } from '../../domain/events.js';
import type { Logger } from '../../observability/logger.js';

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
  // Keyed by tweet id; only the latest verdict per tweet matters, so compaction keeps the topic small.
  'tweet-tags': { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  'tweet-moderation': { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  // Keyed by user. Kept like tweets: clicks are the record a user's taste is rebuilt from.
  clicks: { configEntries: [{ name: 'retention.ms', value: '-1' }] },
  // Work items, derived from tweets: a day is plenty to finish or re-drive them.
  'fanout-slices': { configEntries: [{ name: 'retention.ms', value: String(24 * 60 * 60 * 1000) }] },
};

/**
 * Creates missing topics and waits until every partition has a leader. Auto-creation stays off:
 * under KRaft, subscriptions to auto-created topics can miss partitions in kafkajs.
 * Retries with backoff until `deadlineMs`, because a freshly started broker refuses at first.
 */
export async function ensureTopics(
  admin: Admin,
  naming: TopicNaming,
  partitions: number,
  logger: Logger,
  groups: readonly GroupBinding[],
  deadlineMs = 60_000,
): Promise<void> {
  const keep = [{ name: 'retention.ms', value: '-1' }];
  const wanted = [
    ...(Object.keys(TOPIC_SPECS) as TopicName[]).map((name) => ({
      topic: naming.topic(name),
      numPartitions: partitions,
      replicationFactor: -1,
      configEntries: TOPIC_SPECS[name].configEntries,
    })),
    // Retries are few; a dead letter is kept until someone re-drives it.
    ...groups.flatMap(({ group, topic }) => [
      { topic: naming.retryTopic(topic, group), numPartitions: Math.min(partitions, 3), replicationFactor: -1, configEntries: [] },
      { topic: naming.deadLetterTopic(topic, group), numPartitions: 1, replicationFactor: -1, configEntries: keep },
    ]),
  ];
  const deadline = Date.now() + deadlineMs;
  let delay = 100;
  for (;;) {
    try {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) {
        await admin.createTopics({ topics: missing, waitForLeaders: true });
        logger.info({ topics: missing.map((t) => t.topic), partitions }, 'created topics');
      }
      const metadata = await admin.fetchTopicMetadata({ topics: wanted.map((t) => t.topic) });
      const leaderless = metadata.topics.flatMap((t) => t.partitions.filter((p) => p.leader < 0).map(() => t.name));
      if (leaderless.length === 0) return;
      throw new Error(`partitions without leader in ${[...new Set(leaderless)].join(', ')}`);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      logger.debug({ err: (err as Error).message }, 'topics not ready yet, retrying');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}
