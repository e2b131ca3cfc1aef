import type { Logger } from '../../observability/logger.js';

/** The part of a kafkajs admin this needs: describing groups finds each group's coordinator. */
export interface GroupDescriber {
  describeGroups(groupIds: string[]): Promise<unknown>;
}

export interface CoordinatorWaitOptions {
  /** Give up (throw) after this long. */
  timeoutMs: number;
  logger: Logger;
  /** Injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Resolves once the broker names a coordinator for every group in `groupIds`. A consumer that
 * starts before that retries for about 25 s inside kafkajs and then crashes with
 * KafkaJSGroupCoordinatorNotFound, which kafkajs treats as fatal: it never restarts that consumer,
 * and the group consumes nothing while the process looks healthy. A freshly started broker on a
 * busy machine can take longer than that to load its offsets topic, so the app waits here first.
 * Logs one line when the wait is long. Throws after `timeoutMs` with the last error.
 */
export async function waitForGroupCoordinators(admin: GroupDescriber, groupIds: readonly string[], options: CoordinatorWaitOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  let delayMs = 250;
  let announced = false;
  for (;;) {
    try {
      await admin.describeGroups([...groupIds]);
      if (announced) options.logger.info({ waitedMs: now() - started }, 'Kafka group coordinators ready');
      return;
    } catch (err) {
      const waited = now() - started;
      if (waited >= options.timeoutMs) {
        throw new Error(`Kafka named no group coordinator within ${Math.round(waited / 1000)} s: ${(err as Error).message}`, { cause: err });
      }
      if (!announced) {
        announced = true;
        options.logger.info('waiting for Kafka to elect its group coordinators before the consumers start');
      }
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 5_000);
    }
  }
}
