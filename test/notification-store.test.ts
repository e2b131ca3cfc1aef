import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalRedisCluster, type LocalRedisCluster } from '../src/local/redis-cluster.js';
import { createLogger } from '../src/observability/logger.js';
import { keys } from '../src/adapters/redis/keys.js';
import { createNotificationStore } from '../src/adapters/redis/notification-store.js';
import type { NotificationActivity } from '../src/domain/notifications/ports.js';
import { useScratchRedis } from './harness/scratch-redis.js';

const T0 = Date.UTC(2026, 11, 1, 12);
const like = (actorId: string, tweetId: string, at: number): NotificationActivity => ({ recipientId: '7', actorId, kind: 'LIKE', tweetId, at });

/** NotificationStore's Lua against a real redis-server: grouping, idempotency, caps, read marker, paging. */
describe('notification store on a real Redis', () => {
  const scratch = useScratchRedis();
  const store = () => createNotificationStore(scratch.client, { groupsCap: 3, actorsCap: 2, ttlSeconds: 30 * 86400 }, () => T0 + 60_000);
  beforeEach(async () => {
    await scratch.client.flushdb();
  });

  it('groups actors per tweet, newest first, and counts each actor once under redelivery', async () => {
    const s = store();
    expect(await s.record(like('8', '11', T0))).toBe('like:11');
    expect(await s.record(like('9', '11', T0 + 1))).toBe('like:11');
    expect(await s.record(like('8', '11', T0))).toBeNull();
    expect(await s.record(like('10', '11', T0 + 2))).toBe('like:11');
    // Actor 8 was trimmed from the preview (cap 2): its redelivery is still not counted again.
    expect(await s.record(like('8', '11', T0))).toBeNull();
    const { groups } = await s.page('7', 10);
    expect(groups).toEqual([{ recipientId: '7', key: 'like:11', kind: 'LIKE', tweetId: '11', actorCount: 3, latestAt: T0 + 2, read: false }]);
    expect(await s.actors('7', ['like:11'], 5)).toEqual([['10', '9']]);
    expect(await scratch.client.ttl(keys.notifications('7'))).toBeGreaterThan(0);
  });

  it('keeps at most the cap of groups, dropping the oldest with their actors, and ignores activity older than the TTL', async () => {
    const s = store();
    for (let i = 1; i <= 4; i++) await s.record(like('8', String(10 + i), T0 + i));
    const { groups } = await s.page('7', 10);
    expect(groups.map((g) => g.key)).toEqual(['like:14', 'like:13', 'like:12']);
    expect(await scratch.client.exists(keys.notificationActors('7', 'like:11'))).toBe(0);
    expect(await scratch.client.hexists(keys.notificationCounts('7'), 'like:11')).toBe(0);
    expect(await s.record(like('8', '20', T0 - 31 * 86400_000))).toBeNull();
  });

  it('counts unread groups, marks read up to a position (never back), and a new actor makes a group unread again', async () => {
    const s = store();
    await s.record(like('8', '11', T0 + 1));
    await s.record(like('8', '12', T0 + 2));
    await s.record({ recipientId: '7', actorId: '9', kind: 'FOLLOW', tweetId: null, at: T0 + 3 });
    expect(await s.unreadCount('7')).toBe(3);
    expect(await s.markReadUpTo('7', T0 + 2)).toBe(2);
    expect(await s.markReadUpTo('7', T0 + 2)).toBe(0);
    expect(await s.markReadUpTo('7', T0 + 1)).toBe(0);
    expect(await s.unreadCount('7')).toBe(1);
    expect((await s.page('7', 10)).groups.map((g) => [g.key, g.read])).toEqual([
      [expect.stringMatching(/^follow:/), false],
      ['like:12', true],
      ['like:11', true],
    ]);
    await s.record(like('10', '11', T0 + 4));
    expect(await s.unreadCount('7')).toBe(2);
    expect((await s.group('7', 'like:11'))?.read).toBe(false);
  });

  it('pages by position, stable under equal times, and retracts actors until a group is gone', async () => {
    const s = store();
    await s.record(like('8', '11', T0));
    await s.record(like('8', '12', T0));
    await s.record(like('8', '13', T0));
    const first = await s.page('7', 2);
    expect(first.groups.map((g) => g.key)).toEqual(['like:13', 'like:12']);
    expect(first.hasNextPage).toBe(true);
    const last = first.groups[1]!;
    const second = await s.page('7', 2, { score: last.latestAt, group: last.key });
    expect(second.groups.map((g) => g.key)).toEqual(['like:11']);
    expect(second.hasNextPage).toBe(false);

    expect(await s.retract(like('8', '11', T0))).toBe(true);
    expect(await s.retract(like('8', '11', T0))).toBe(false);
    expect(await s.group('7', 'like:11')).toBeNull();
    expect(await scratch.client.exists(keys.notificationActors('7', 'like:11'))).toBe(0);
  });
});

/** The same scripts on a three-master Redis Cluster: every key of one user is in the user's slot, trimmed actor sets included. */
describe('notification store on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let client: Cluster;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.resolve(import.meta.dirname, '../.local/test-redis-cluster-'));
    cluster = await startLocalRedisCluster({ dataDir, logger: createLogger({ level: 'warn' }) });
    client = new Cluster(cluster.nodes);
  });
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('records, trims, pages, previews actors, counts unread and marks read', async () => {
    const s = createNotificationStore(client, { groupsCap: 3, actorsCap: 2, ttlSeconds: 30 * 86400 }, () => T0 + 60_000);
    for (const user of ['7', '8000000000000000001']) {
      for (let i = 1; i <= 4; i++) {
        for (const [j, actor] of ['8', '9', '10'].entries()) {
          expect(await s.record({ ...like(actor, String(10 + i), T0 + 10 * i + j), recipientId: user })).toBe(`like:${10 + i}`);
        }
      }
      const { groups } = await s.page(user, 10);
      expect(groups.map((g) => `${g.key} ${g.actorCount}`)).toEqual(['like:14 3', 'like:13 3', 'like:12 3']);
      expect(await client.exists(keys.notificationActors(user, 'like:11'))).toBe(0);
      expect(await s.actors(user, ['like:14', 'like:12'], 3)).toEqual([['10', '9'], ['10', '9']]);
      expect(await s.unreadCount(user)).toBe(3);
      expect(await s.markReadUpTo(user, T0 + 32)).toBe(2);
      expect((await s.group(user, 'like:14'))?.read).toBe(false);
      expect(await s.retract({ ...like('10', '14', T0), recipientId: user })).toBe(true);
      expect((await s.group(user, 'like:14'))?.actorCount).toBe(2);
    }
  });
});
