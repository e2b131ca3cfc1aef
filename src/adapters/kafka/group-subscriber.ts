import type { Consumer } from 'kafkajs';
import { KafkaConnection } from './connection.js';
import { fromKafkaJs } from './message.js';
import type { MessageCallback, Subscriber, Subscription, SubscriptionState } from './subscriber.js';

export interface GroupSubscriberOptions {
  /** Physical group id. */
  group: string;
  /** Physical topic names. */
  topics: readonly string[];
  /** Partitions handled at once by this member; order within a partition is kept regardless. */
  partitionsAtOnce?: number;
}

/**
 * The live consumer group. A new group starts from the earliest offset, so nothing posted before
 * a consumer first ran is skipped. A message's offset is resolved only after the callback
 * resolved (and committed with the next auto-commit), so a crash redelivers it (at-least-once);
 * a paused message is left unresolved, so it is fetched again when its partition resumes.
 * kafkajs restarts a crashed consumer by itself; the state says `crashed` until it rejoins, and
 * stays so if it does not restart.
 */
export function groupSubscriber(connection: KafkaConnection, options: GroupSubscriberOptions): Subscriber {
  return {
    async subscribe(onMessage: MessageCallback): Promise<Subscription> {
      const consumer: Consumer = KafkaConnection.client(connection).consumer({
        groupId: options.group,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        allowAutoTopicCreation: false,
        // The broker answers a fetch as soon as data arrives; this only bounds how long an idle
        // fetch blocks a graceful stop.
        maxWaitTimeInMs: 1_000,
      });
      let state: SubscriptionState = 'starting';
      let failure: Error | undefined;
      let stopping = false;
      const resumeTimers = new Set<NodeJS.Timeout>();
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (finish = resolve));

      await consumer.connect();
      consumer.on(consumer.events.GROUP_JOIN, () => {
        state = 'running';
        failure = undefined;
      });
      consumer.on(consumer.events.CRASH, (event) => {
        failure = event.payload.error;
        state = 'crashed';
        if (!event.payload.restart) finish();
      });
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
      await consumer.run({
        autoCommitInterval: 1_000,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsAtOnce ?? 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary }) => {
          for (const raw of batch.messages) {
            if (!isRunning() || isStale()) return;
            let pausedUntil: number | null = null;
            let released = false;
            await onMessage(fromKafkaJs(batch.topic, batch.partition, raw), {
              heartbeat,
              canPause: true,
              pauseUntil: (at) => void (pausedUntil = at),
              release: () => void (released = true),
            });
            if (released) return;
            if (pausedUntil !== null) {
              // Unresolved: fetched again from this message once the partition resumes.
              const resume = pause();
              const timer = setTimeout(() => {
                resumeTimers.delete(timer);
                resume();
              }, Math.max(0, pausedUntil - Date.now()));
              resumeTimers.add(timer);
              return;
            }
            resolveOffset(raw.offset);
            await heartbeat();
            await commitOffsetsIfNecessary();
          }
        },
      });

      return {
        state: () => state,
        failure: () => failure,
        done,
        async stop() {
          if (stopping) return done;
          stopping = true;
          for (const timer of resumeTimers) clearTimeout(timer);
          // Waits for the message in hand, commits resolved offsets and leaves the group.
          await consumer.disconnect();
          if (state !== 'crashed') state = 'stopped';
          finish();
        },
      };
    },
  };
}
