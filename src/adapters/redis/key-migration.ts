import type { Redis } from 'ioredis';
import { keys } from './keys.js';

/**
 * Keys that were renamed when hash tags arrived (Redis Cluster support), by their old pattern.
 * Everything else kept its name.
 */
const RENAMED: readonly { match: RegExp; name: (id: string) => string }[] = [
  { match: /^tweet:(\d+)$/, name: keys.tweet },
  { match: /^tweet:(\d+):deleted$/, name: keys.tweetTombstone },
  { match: /^tweet:(\d+):tags$/, name: keys.tweetTags },
  { match: /^tweet:(\d+):moderation$/, name: keys.tweetModeration },
  { match: /^user:(\d+)$/, name: keys.user },
  { match: /^user:(\d+):password$/, name: keys.password },
  { match: /^taste:(\d+)$/, name: keys.taste },
  { match: /^taste:(\d+):anchor$/, name: keys.tasteAnchor },
  { match: /^clicked:(\d+)$/, name: keys.clicked },
  { match: /^popular:tweets()$/, name: () => keys.popular() },
  { match: /^popular:tweets:anchor()$/, name: () => keys.popularAnchor() },
];
const OLD_PREFIXES = ['tweet:', 'user:', 'taste:', 'clicked:', 'popular:'];

/** The current name of a key stored under its name from before hash tags, or null if it kept its name. */
export function renamedKey(oldName: string): string | null {
  for (const { match, name } of RENAMED) {
    const found = match.exec(oldName);
    if (found) return name(found[1]!);
  }
  return null;
}

export interface KeyMigrationResult {
  renamed: number;
  /** Old keys left alone because a key of the new name exists already. */
  conflicts: string[];
}

/**
 * Renames the keys of a single Redis written before hash tags to their current names (RENAMENX:
 * values and TTLs kept, an existing new key never overwritten). Idempotent. Run it with the
 * service stopped: a key written under the old name meanwhile would be missed until the next run.
 * Clusters need none of it: the old names only ever lived on one server.
 */
export async function migrateToHashTaggedKeys(redis: Redis, options: { dryRun?: boolean } = {}): Promise<KeyMigrationResult> {
  const result: KeyMigrationResult = { renamed: 0, conflicts: [] };
  for (const prefix of OLD_PREFIXES) {
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      for (const oldName of batch) {
        const newName = renamedKey(oldName);
        if (newName === null) continue;
        if (options.dryRun) {
          if (await redis.exists(newName)) result.conflicts.push(oldName);
          else result.renamed += 1;
        } else if ((await redis.renamenx(oldName, newName)) === 1) {
          result.renamed += 1;
        } else {
          result.conflicts.push(oldName);
        }
      }
    }
  }
  return result;
}
