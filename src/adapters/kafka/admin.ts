import type { Admin } from 'kafkajs';
import type { TopicName } from '../../domain/events.js';
import type { Logger } from '../../observability/logger.js';
import { connectAdmin } from './client.js';
import { KafkaConnection } from './connection.js';
import type { PartitionRange } from './replay-subscriber.js';
import { TOPIC_SPECS, type GroupBinding, type TopicNaming } from './topics.js';

/** Group states in which a group has no members (kafkajs reports them as these strings). */
const IDLE_STATES = new Set(['Empty', 'Dead']);

/** What the service asks of the cluster besides producing and consuming. Group and topic names are physical. */
export interface KafkaAdmin {
  /** Rejects with a ConnectionSetupError that names the setting when credentials or certificates are refused. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Answers while the cluster does (readiness). */
  describeCluster(): Promise<{ clusterId: string; brokers: number }>;
  /** Every partition's [low, high) now, by partition. */
  topicOffsets(topic: string): Promise<PartitionRange[]>;
  /** The group's committed offset per partition of each topic; '-1' where it committed nothing. */
  committedOffsets(group: string, topics: readonly string[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  /** Those of `groups` that have members right now, with their state and member count. */
  activeGroups(groups: readonly string[]): Promise<{ group: string; state: string; members: number }[]>;
  /** Sets a group's committed offsets; the group must have no members. Seconds per call (kafkajs joins the group). */
  setGroupOffsets(group: string, topic: string, offsets: readonly { partition: number; offset: string }[]): Promise<void>;
  /**
   * Creates the service's missing topics (and each group's retry and dead-letter topics) and waits
   * until every partition has a leader. Retries with backoff until `deadlineMs`, because a freshly
   * started broker refuses at first.
   */
  ensureTopics(naming: TopicNaming, partitions: number, logger: Logger, groups: readonly GroupBinding[], deadlineMs?: number): Promise<void>;
}

export function createKafkaAdmin(connection: KafkaConnection): KafkaAdmin {
  const admin: Admin = KafkaConnection.client(connection).admin();
  return {
    connect: () => {
      const { target, logger } = KafkaConnection.target(connection);
      return connectAdmin(admin, target, logger);
    },
    disconnect: () => admin.disconnect(),
    async describeCluster() {
      const cluster = await admin.describeCluster();
      return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
    },
    async topicOffsets(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.map((p) => ({ partition: p.partition, low: p.low, high: p.high })).sort((a, b) => a.partition - b.partition);
    },
    async committedOffsets(group, topics) {
      const found = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
      return found.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, offset: p.offset })) }));
    },
    async activeGroups(groups) {
      const { groups: described } = await admin.describeGroups([...groups]);
      return described
        .filter((d) => d.members.length > 0 || !IDLE_STATES.has(d.state))
        .map((d) => ({ group: d.groupId, state: d.state, members: d.members.length }));
    },
    async setGroupOffsets(group, topic, offsets) {
      await admin.setOffsets({ groupId: group, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.offset })) });
    },
    ensureTopics: (naming, partitions, logger, groups, deadlineMs) => ensureTopics(admin, naming, partitions, logger, groups, deadlineMs),
  };
}

async function ensureTopics(
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
