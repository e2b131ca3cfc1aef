import type { Admin } from 'kafkajs';
import { KafkaConnection } from './connection.js';
import { replaySubscriber, type PartitionRange } from './replay-subscriber.js';
import type { MessageCallback, Subscriber, Subscription } from './subscriber.js';

/**
 * A drain: a topic from `group`'s committed position (or the beginning, for a group that never
 * committed) up to its end as it was when subscribed, then done. With `commit`, what was handled is
 * committed to `group` when the drain ends (also when it failed part-way), so the next drain
 * starts after it (`dlq redrive`); a drain killed before its end repeats its messages next time.
 * Without, nothing is committed anywhere (`dlq list`).
 * Reads through the bounded replay subscriber, so there is one Kafka reader.
 */
export function drainSubscriber(connection: KafkaConnection, options: { topic: string; group: string; commit: boolean }): Subscriber {
  return {
    async subscribe(onMessage: MessageCallback): Promise<Subscription> {
      const admin = KafkaConnection.client(connection).admin();
      await admin.connect();
      try {
        const ranges = await unreadRanges(admin, options.topic, options.group);
        const handled = new Map<number, string>();
        const reader = replaySubscriber(connection, { topic: options.topic, ranges, groupPrefix: `${options.group}.drain` });
        const subscription = await reader.subscribe(async (message, controls) => {
          await onMessage(message, controls);
          handled.set(message.partition, String(BigInt(message.offset) + 1n));
        });
        // One commit at the end: kafkajs sets a group's offsets by joining it, seconds a call.
        const commitHandled = async () => {
          if (!options.commit || handled.size === 0) return;
          const partitions = [...handled].map(([partition, offset]) => ({ partition, offset }));
          await admin.setOffsets({ groupId: options.group, topic: options.topic, partitions });
        };
        const done = subscription.done.then(commitHandled, async (err: unknown) => {
          await commitHandled();
          throw err;
        }).finally(() => admin.disconnect().catch(() => undefined));
        done.catch(() => undefined);
        return { ...subscription, state: subscription.state, failure: subscription.failure, done };
      } catch (err) {
        await admin.disconnect().catch(() => undefined);
        throw err;
      }
    },
  };
}

/** Per partition, [committed position of the group (or low), high) as of now. */
async function unreadRanges(admin: Admin, topic: string, group: string): Promise<PartitionRange[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return ends.map((p) => {
    const at = committed[0]?.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
    const low = at === '-1' || BigInt(at) < BigInt(p.low) ? p.low : at;
    return { partition: p.partition, low, high: p.high };
  });
}
