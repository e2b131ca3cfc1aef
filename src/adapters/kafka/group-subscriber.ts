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
  /** First wait before a consumer that crashed for good is started again; doubles up to 30 s. */
  restartDelayMs?: number;
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The live consumer group. A new group starts from the earliest offset, so nothing posted before
 * a consumer first ran is skipped. A message's offset is resolved only after the callback
 * resolved (and committed with the next auto-commit), so a crash redelivers it (at-least-once);
 * a paused message is left unresolved, so it is fetched again when its partition resumes.
 *
 * A crash never ends the subscription quietly: kafkajs restarts a consumer after retriable
 * failures, and after one it gives up on (a coordinator that stays unavailable while a broker
 * warms up, say) this subscriber starts a fresh consumer with backoff until stopped. The state
 * says `crashed` from the crash until the group is joined again, so readiness reflects it.
 */
export function groupSubscriber(connection: KafkaConnection, options: GroupSubscriberOptions): Subscriber {
  return {
    async subscribe(onMessage: MessageCallback): Promise<Subscription> {
      const kafka = KafkaConnection.client(connection);
      let state: SubscriptionState = 'starting';
      let failure: Error | undefined;
      let stopping = false;
      let consumer: Consumer | undefined;
      let restartTimer: NodeJS.Timeout | undefined;
      let restartDelay = options.restartDelayMs ?? 1_000;
      const resumeTimers = new Set<NodeJS.Timeout>();
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (finish = resolve));

      const start = async (): Promise<void> => {
        const current = kafka.consumer({
          groupId: options.group,
          sessionTimeout: 30_000,
          heartbeatInterval: 3_000,
          allowAutoTopicCreation: false,
          // The broker answers a fetch as soon as data arrives; this only bounds how long an idle
          // fetch blocks a graceful stop.
          maxWaitTimeInMs: 1_000,
        });
        consumer = current;
        current.on(current.events.GROUP_JOIN, () => {
          state = 'running';
          failure = undefined;
          restartDelay = options.restartDelayMs ?? 1_000;
        });
        current.on(current.events.CRASH, (event) => {
          failure = event.payload.error;
          state = 'crashed';
          if (!event.payload.restart && !stopping) scheduleRestart(current);
        });
        await current.connect();
        await current.subscribe({ topics: [...options.topics], fromBeginning: true });
        await current.run({
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
      };

      const scheduleRestart = (crashed: Consumer) => {
        const delay = restartDelay;
        restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          if (stopping) return;
          void crashed
            .disconnect()
            .catch(() => undefined)
            .then(() => (stopping ? undefined : start()))
            .catch((err: unknown) => {
              failure = err instanceof Error ? err : new Error(String(err));
              if (!stopping) scheduleRestart(consumer ?? crashed);
            });
        }, delay);
      };

      await start();
      return {
        state: () => state,
        failure: () => failure,
        done,
        async stop() {
          if (stopping) return done;
          stopping = true;
          if (restartTimer) clearTimeout(restartTimer);
          for (const timer of resumeTimers) clearTimeout(timer);
          // Waits for the message in hand, commits resolved offsets and leaves the group.
          await consumer?.disconnect();
          if (state !== 'crashed') state = 'stopped';
          finish();
        },
      };
    },
  };
}
