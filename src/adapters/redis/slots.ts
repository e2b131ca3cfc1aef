import calculateSlot from 'cluster-key-slot';
import type { ChainableCommander } from 'ioredis';
import type { Cluster, Redis, RedisClient } from './client.js';
import { execChecked } from './pipeline.js';

/**
 * Multi-key work that may cross hash slots. On one Redis server each helper is exactly the plain
 * command (one MGET, one pipeline, one MULTI), so single-node cost is unchanged. On a cluster the
 * work is split per slot, because a command, pipeline or MULTI whose keys span slots fails
 * (CROSSSLOT, or ioredis refuses it); the parts run concurrently and results come back in input
 * order. Per slot rather than per node: a slot moved during resharding answers MOVED for the
 * whole part, which ioredis then follows by itself.
 */

export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/** The Redis Cluster hash slot of a key (ioredis routes by the same function). */
export function slotOf(key: string): number {
  return calculateSlot(key);
}

/** Indexes of `keys` grouped by hash slot, each group in input order. */
export function indexesBySlot(keys: readonly string[]): number[][] {
  const groups = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const slot = slotOf(key);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  });
  return [...groups.values()];
}

/** The keys in groups that each lie in one slot: all of them together on a single server. */
export function keysBySlot(client: RedisClient, keys: readonly string[]): string[][] {
  if (!isCluster(client)) return keys.length === 0 ? [] : [[...keys]];
  return indexesBySlot(keys).map((group) => group.map((i) => keys[i]!));
}

/** MGET of any keys: one MGET on a single server, one per slot (issued together) on a cluster. */
export async function mgetAcrossSlots(client: RedisClient, keys: readonly string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  if (!isCluster(client)) return client.mget([...keys]);
  const values = new Array<string | null>(keys.length).fill(null);
  // Issued in one tick: auto-pipelining sends them as one batch per node.
  await Promise.all(
    indexesBySlot(keys).map(async (group) => {
      const found = await client.mget(group.map((i) => keys[i]!));
      group.forEach((index, j) => (values[index] = found[j] ?? null));
    }),
  );
  return values;
}

/**
 * Queues commands per key (all on keys in that key's slot) and runs them: one pipeline on a
 * single server, one pipeline per slot on a cluster. Resolves with each key's replies in input
 * order; rejects with the first command error (ioredis reports those in the results instead).
 * Not atomic: use it for idempotent writes and for reads.
 */
export async function pipelineAcrossSlots(
  client: RedisClient,
  keys: readonly string[],
  queue: (pipeline: ChainableCommander, key: string) => void,
): Promise<unknown[][]> {
  if (keys.length === 0) return [];
  const groups = isCluster(client) ? indexesBySlot(keys) : [keys.map((_, i) => i)];
  const replies = new Array<unknown[]>(keys.length);
  await Promise.all(
    groups.map(async (group) => {
      const perKey = await execPerItem(client.pipeline(), group, (pipeline, index) => queue(pipeline, keys[index]!));
      group.forEach((index, j) => (replies[index] = perKey[j]!));
    }),
  );
  return replies;
}

/** One step of `multiAcrossSlots`: commands on keys in `key`'s slot. */
export interface TransactionStep {
  key: string;
  queue(multi: ChainableCommander): void;
}

/**
 * Runs the steps in MULTI and resolves with each step's replies. On a single server that is one
 * MULTI: all or nothing. On a cluster, each run of consecutive steps in one slot is its own
 * MULTI, run one after another in step order: atomic per slot, not across slots, so a crash can
 * leave the earlier parts done. Callers order steps so that repeating the whole call repairs that
 * (idempotent writes, the one whose reply decides anything last).
 */
export async function multiAcrossSlots(client: RedisClient, steps: readonly TransactionStep[]): Promise<unknown[][]> {
  const runs: TransactionStep[][] = [];
  for (const step of steps) {
    const last = runs.at(-1);
    if (last && (!isCluster(client) || slotOf(last[0]!.key) === slotOf(step.key))) last.push(step);
    else runs.push([step]);
  }
  const replies: unknown[][] = [];
  for (const run of runs) replies.push(...(await execPerItem(client.multi(), run, (multi, step) => step.queue(multi))));
  return replies;
}

/**
 * Every master: the server itself, or each master node of a cluster. For work that must see the
 * whole key space (SCAN, wiping a deployment's keys), which on a cluster is spread over them.
 */
export function masterNodes(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}

/**
 * Queues each item's commands on `batch` (a pipeline or a MULTI), runs it, and splits the replies
 * per item; rejects as execChecked does.
 */
async function execPerItem<T>(
  batch: ChainableCommander,
  items: readonly T[],
  queue: (batch: ChainableCommander, item: T) => void,
): Promise<unknown[][]> {
  const counts = items.map((item) => {
    const before = batch.length;
    queue(batch, item);
    return batch.length - before;
  });
  const results = await execChecked(batch);
  let next = 0;
  return counts.map((count) => results.slice(next, (next += count)));
}
