/**
 * Renames the keys of a Redis written before hash tags (Redis Cluster support) to their current
 * names, so accounts, tweets and taste stored by an earlier version stay readable.
 *
 *   npx tsx scripts/migrate-key-names.ts redis://127.0.0.1:6379 [--dry-run]
 *
 * Stop the service first. Idempotent: run it again and it renames nothing. Exits 1 on a bad
 * argument or when some old key could not be renamed because its new name exists already.
 */
import { Redis } from 'ioredis';
import { migrateToHashTaggedKeys } from '../src/adapters/redis/key-migration.js';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const url = args.find((a) => a !== '--dry-run');
if (!url || !/^rediss?:\/\//.test(url)) {
  console.error('usage: npx tsx scripts/migrate-key-names.ts redis://host:port[/db] [--dry-run]');
  process.exit(1);
}

const redis = new Redis(url, { maxRetriesPerRequest: 3 });
try {
  const { renamed, conflicts } = await migrateToHashTaggedKeys(redis, { dryRun });
  console.log(`${dryRun ? 'would rename' : 'renamed'} ${renamed} key(s)`);
  if (conflicts.length > 0) {
    console.error(`${conflicts.length} old key(s) left alone, their new name exists: ${conflicts.slice(0, 20).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  redis.disconnect();
}
