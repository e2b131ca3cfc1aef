import type { Redis } from 'ioredis';
import { eventually } from './poll.js';

/**
 * Total commands the Redis server has executed (INFO commandstats; the commands a script runs
 * count too) and the reads of client sockets it did (one per request batch received: a pipeline,
 * or commands sent together, is one round trip). Each reading is itself one INFO call.
 */
export async function commandsExecuted(redis: Redis): Promise<{ total: number; byCommand: Record<string, number>; reads: number }> {
  const info = await redis.info('stats', 'commandstats');
  const byCommand: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) byCommand[match[1]!] = Number(match[2]);
  const reads = Number(/^total_reads_processed:(\d+)/m.exec(info)?.[1]);
  return { total: Object.values(byCommand).reduce((a, b) => a + b, 0), byCommand, reads };
}

/**
 * Waits until nothing but these INFO calls reaches the server between two readings: the tagger,
 * moderator, notification groups and live publisher have finished too, not only the fan-out.
 */
export async function consumersIdle(redis: Redis): Promise<void> {
  let last = await commandsExecuted(redis);
  await eventually(
    async () => {
      const now = await commandsExecuted(redis);
      const idle = now.total - last.total === 1;
      last = now;
      return idle;
    },
    (idle) => idle,
    { intervalMs: 250, what: 'consumers idle' },
  );
}
