import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNaming } from '../../src/adapters/kafka/topics.js';
import { keys } from '../../src/adapters/redis/keys.js';
import { listDeadLetters } from '../../src/cli/dead-letters.js';
import { GROUP_BINDINGS } from '../../src/consumers/index.js';
import { startLocalRedis, type LocalRedis } from '../../src/local/redis-server.js';
import { createLogger } from '../../src/observability/logger.js';
import { eventually } from '../harness/poll.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { follow, signUp, type SignedIn } from '../harness/users.js';

const logger = createLogger({ level: 'warn' });
const RATE = 100;
const SECONDS = 20;

/**
 * Restart Redis while tweets are posted at 100/s for 20 s: every acknowledged tweet is stored and
 * fanned out exactly once. Redis runs with AOF and is stopped cleanly, as an operator restarts it.
 */
describe('chaos: Redis restarts under load', () => {
  let dataDir: string;
  let redis: LocalRedis;
  let t: TestApp;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(import.meta.dirname, '..', '..', '.local', 'chaos-redis-'));
    redis = await startLocalRedis({ dataDir, logger, persist: true });
    t = await startTestApp({ redis, env: { TIMELINE_CAP: '5000', MUTATION_RATE_LIMIT: '100000' } });
  });
  afterAll(async () => {
    await t?.stop();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores and fans out every acknowledged tweet exactly once', async () => {
    const author = await signUp(t, 'author');
    const followers: SignedIn[] = [];
    for (let i = 0; i < 5; i++) {
      const f = await signUp(t, 'fan');
      await follow(t, f, author.handle);
      followers.push(f);
    }

    const pidBefore = redis.pid;
    const acknowledged: string[] = [];
    const failed: string[] = [];
    const started = Date.now();
    const sends: Promise<void>[] = [];
    let restarted: Promise<void> | undefined;
    for (let i = 0; i < RATE * SECONDS; i++) {
      // Pace the posts at RATE per second.
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      if (i === RATE * 5) {
        restarted = (async () => {
          await redis.stop();
          redis = await startLocalRedis({ dataDir, logger, persist: true, port: redis.port });
        })();
      }
      sends.push(
        t.gql<{ postTweet: { id: string } }>('mutation($t: String!) { postTweet(text: $t) { id } }', { t: `load ${i}` }, author.token).then((r) => {
          if (r.data?.postTweet) acknowledged.push(r.data.postTweet.id);
          else failed.push(JSON.stringify(r.errors));
        }),
      );
    }
    await Promise.all(sends);
    await restarted;
    expect(redis.pid, 'redis-server was restarted').not.toBe(pidBefore);
    console.log(`redis restart under load: ${acknowledged.length} acknowledged, ${failed.length} refused`);
    expect(acknowledged.length).toBeGreaterThan(0);

    const probe = new Redis(redis.url);
    try {
      await eventually(
        async () => (await probe.mget(acknowledged.map(keys.tweet))).filter((v) => v !== null).length,
        (n) => n === acknowledged.length,
        { what: 'every acknowledged tweet stored', timeoutMs: 120_000, intervalMs: 500 },
      );
      const everyone = [author, ...followers];
      await eventually(
        async () => Promise.all(everyone.map((u) => probe.zcard(keys.homeTimeline(u.id)))),
        (sizes) => sizes.every((n) => n === acknowledged.length),
        { what: 'every timeline complete', timeoutMs: 120_000, intervalMs: 500 },
      );
      for (const u of everyone) {
        const ids = await probe.zrange(keys.homeTimeline(u.id), 0, -1);
        expect(new Set(ids)).toEqual(new Set(acknowledged));
      }
      const naming = topicNaming(t.config.kafka.namespace);
      for (const binding of GROUP_BINDINGS.filter((b) => b.topic === 'tweets')) {
        expect(await listDeadLetters(t.app.kafka, naming, binding), binding.group).toEqual([]);
      }
    } finally {
      probe.disconnect();
    }
  });
});
