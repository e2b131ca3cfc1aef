import type { Redis } from 'ioredis';
import type { Keyspace } from '../../domain/replay/ports.js';
import { keyFamilies } from './keys.js';
import { execChecked } from './pipeline.js';

const SCAN_COUNT = 1000;

/**
 * A predicate for key names from SCAN MATCH glob patterns. Only `*` and `?` are special: the
 * patterns in keys.ts use nothing else, and every other character matches itself.
 */
export function globMatcher(patterns: readonly string[]): (key: string) => boolean {
  const escape = (c: string) => c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const source = patterns.map((p) => [...p].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escape(c))).join(''));
  const regex = new RegExp(`^(?:${source.join('|')})$`, 's');
  return (key) => regex.test(key);
}

/**
 * The keys of every family in keys.ts, on each of `nodes`. Pass the single client, or in cluster
 * mode every master: a node's SCAN sees only its own keys. One full SCAN per node, matched here
 * against all patterns at once; never FLUSHDB, because the database may hold keys of others.
 * Each UNLINK names one key, so no command spans hash slots.
 */
export function createKeyspace(nodes: readonly Redis[]): Keyspace {
  const ours = globMatcher(Object.values(keyFamilies).map((f) => f.pattern));

  async function forEachOwnKeyBatch(onBatch: (node: Redis, keys: string[], scanned: number) => Promise<void>): Promise<void> {
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'COUNT', SCAN_COUNT);
        cursor = next;
        await onBatch(node, batch.filter(ours), batch.length);
      } while (cursor !== '0');
    }
  }

  return {
    async wipe(onScanned) {
      const sizes = await Promise.all(nodes.map((n) => n.dbsize()));
      const total = sizes.reduce((a, b) => a + b, 0);
      let scanned = 0;
      let removed = 0;
      await forEachOwnKeyBatch(async (node, keys, count) => {
        if (keys.length > 0) {
          const pipeline = node.pipeline();
          for (const key of keys) pipeline.unlink(key);
          // SCAN may return a key twice (during a rehash): count what UNLINK actually removed.
          for (const unlinked of await execChecked(pipeline)) removed += Number(unlinked);
        }
        scanned = Math.min(total, scanned + count);
        onScanned?.(scanned, total);
      });
      return removed;
    },
    /** Approximate while keys are being written, or if a rehash makes SCAN repeat keys. */
    async count() {
      let found = 0;
      await forEachOwnKeyBatch(async (_node, keys) => void (found += keys.length));
      return found;
    },
  };
}
