import { randomUUID } from 'node:crypto';
import { KafkaConnection } from './connection.js';
import { fromKafkaJs } from './message.js';
import type { MessageCallback, Subscriber, Subscription, SubscriptionState } from './subscriber.js';

/** Offsets [low, high) of one partition at the moment they were read: what a replay reads. */
export interface PartitionRange {
  partition: number;
  low: string;
  high: string;
}

/**
 * A bounded replay: every offset in `ranges` of one topic, one message at a time, each partition
 * in order, then `done` resolves; later messages are not delivered. It reads through a throwaway
 * group (`<prefix>.<uuid>`, deleted afterwards: kafkajs can only read through a group) that
 * commits nothing, so no group of the deployment moves. A callback's error ends it: `done`
 * rejects with it. Messages cannot be paused (there is nothing to wait for in a replay).
 */
export function replaySubscriber(
  connection: KafkaConnection,
  options: { topic: string; ranges: readonly PartitionRange[]; groupPrefix: string },
): Subscriber {
  return {
    async subscribe(onMessage: MessageCallback): Promise<Subscription> {
      const kafka = KafkaConnection.client(connection);
      const pending = new Map(options.ranges.filter((r) => BigInt(r.high) > BigInt(r.low)).map((r) => [r.partition, BigInt(r.high)]));
      // Next offset to deliver per partition: after a rejoin the group starts over from the
      // earliest offset (it commits nothing), and what was delivered already is skipped.
      const next = new Map(options.ranges.map((r) => [r.partition, BigInt(r.low)]));
      let state: SubscriptionState = pending.size === 0 ? 'finished' : 'starting';
      let failure: Error | undefined;
      if (pending.size === 0) return { state: () => state, failure: () => failure, done: Promise.resolve(), stop: async () => undefined };

      const groupId = `${options.groupPrefix}.${randomUUID()}`;
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
      const cleanUp = async () => {
        await consumer.disconnect().catch(() => undefined);
        const admin = kafka.admin();
        await admin.connect().catch(() => undefined);
        await admin.deleteGroups([groupId]).catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
      };
      await consumer.connect();
      let settle: { resolve(): void; reject(err: Error): void } | undefined;
      const delivered = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      try {
        await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message, heartbeat }) => {
            const high = pending.get(partition);
            const offset = BigInt(message.offset);
            if (state === 'finished' || state === 'stopped' || state === 'crashed' || high === undefined || offset < next.get(partition)! || offset >= high) return;
            try {
              await onMessage(fromKafkaJs(options.topic, partition, message), {
                heartbeat,
                canPause: false,
                pauseUntil: () => undefined,
                release: () => {
                  throw new Error('a replay cannot leave a message for later');
                },
              });
            } catch (err) {
              state = 'crashed';
              failure = err instanceof Error ? err : new Error(String(err));
              settle!.reject(failure);
              return;
            }
            next.set(partition, offset + 1n);
            if (offset + 1n >= high) {
              pending.delete(partition);
              if (pending.size === 0) {
                state = 'finished';
                settle!.resolve();
              }
            }
          },
        });
        state = 'running';
      } catch (err) {
        await cleanUp();
        throw err;
      }
      const done = delivered.finally(cleanUp);
      done.catch(() => undefined);
      return {
        state: () => state,
        failure: () => failure,
        done,
        async stop() {
          if (state === 'running' || state === 'starting') state = 'stopped';
          settle!.resolve();
          await done.catch(() => undefined);
        },
      };
    },
  };
}
