import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { EventLog, LoggedMessage } from '../../domain/replay/ports.js';
import type { KafkaPublisher } from './publisher.js';
import type { TopicNaming } from './topics.js';

/** Group states in which a group has no members (kafkajs reports them as these strings). */
const IDLE_STATES = new Set(['Empty', 'Dead']);

/**
 * The broker as the record of events (see EventLog). Reads go through a consumer group of their
 * own, `<namespace>rebuild.<uuid>`, that commits nothing and is deleted afterwards: kafkajs can
 * only read through a group. `admin` and `publisher` must be connected; the caller owns them.
 */
export function createEventLog(deps: { kafka: Kafka; admin: Admin; naming: TopicNaming; publisher: KafkaPublisher }): EventLog {
  const { kafka, admin, naming } = deps;
  return {
    async activeGroups(groups) {
      const ids = groups.map((g) => naming.group(g));
      const { groups: described } = await admin.describeGroups(ids);
      return described
        .filter((d) => d.members.length > 0 || !IDLE_STATES.has(d.state))
        .map((d) => ({ group: groups[ids.indexOf(d.groupId)] ?? d.groupId, state: d.state, members: d.members.length }));
    },

    async watermarks(topic) {
      const offsets = await admin.fetchTopicOffsets(naming.topic(topic));
      return offsets.map((p) => ({ partition: p.partition, low: p.low, high: p.high })).sort((a, b) => a.partition - b.partition);
    },

    async read(topic, ranges, onMessage) {
      const physical = naming.topic(topic);
      const pending = new Map(ranges.filter((r) => BigInt(r.high) > BigInt(r.low)).map((r) => [r.partition, BigInt(r.high)]));
      if (pending.size === 0) return;
      // Next offset to deliver per partition: after a rejoin the group starts over from the
      // earliest offset (it commits nothing), and what was delivered already is skipped.
      const next = new Map(ranges.map((r) => [r.partition, BigInt(r.low)]));
      const groupId = naming.group(`rebuild.${randomUUID()}`);
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
      let failed = false;
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [physical], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer
            .run({
              autoCommit: false,
              eachMessage: async ({ partition, message, heartbeat }) => {
                const high = pending.get(partition);
                const offset = BigInt(message.offset);
                if (failed || high === undefined || offset < next.get(partition)! || offset >= high) return;
                const logged: LoggedMessage = {
                  topic: physical,
                  partition,
                  offset: message.offset,
                  key: message.key?.toString('utf8') ?? null,
                  value: message.value,
                  headers: Object.fromEntries(
                    Object.entries(message.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')]),
                  ),
                };
                try {
                  await onMessage(logged, heartbeat);
                } catch (err) {
                  failed = true;
                  reject(err);
                  return;
                }
                next.set(partition, offset + 1n);
                if (offset + 1n >= high) {
                  pending.delete(partition);
                  if (pending.size === 0) resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
        await admin.deleteGroups([groupId]).catch(() => undefined);
      }
    },

    async commitOffsets(group, topic, offsets) {
      await admin.setOffsets({
        groupId: naming.group(group),
        topic: naming.topic(topic),
        partitions: offsets.map((o) => ({ partition: o.partition, offset: o.offset })),
      });
    },

    async handToRetry(group, topic, message, headers) {
      await deps.publisher.sendRaw(naming.retryTopic(topic, group), {
        key: message.key,
        value: message.value,
        headers: { ...message.headers, ...headers },
      });
    },
  };
}
