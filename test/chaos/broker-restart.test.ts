import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/adapters/redis/keys.js';
import { startLocalKafka, type LocalKafka } from '../../src/local/kafka-broker.js';
import { createLogger } from '../../src/observability/logger.js';
import { eventually } from '../harness/poll.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { signUp } from '../harness/users.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..', '..');
const logger = createLogger({ level: 'warn' });

/**
 * Restart the broker while tweets are being posted: every acknowledged postTweet is eventually
 * stored, and every one that was not acknowledged answered its client with an error (none hangs).
 * A broker of its own, so the rest of the suite is not disturbed.
 */
describe('chaos: the Kafka broker restarts while tweets are posted', () => {
  let dataDir: string;
  let kafka: LocalKafka;
  let t: TestApp;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'chaos-kafka-'));
    kafka = await startLocalKafka({ rootDir: ROOT_DIR, dataDir, logger });
    t = await startTestApp({ kafkaBrokers: kafka.brokers, env: { MUTATION_RATE_LIMIT: '100000' } });
  });
  afterAll(async () => {
    await t?.stop();
    await kafka?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged tweet and answers every other request with an error', async () => {
    const author = await signUp(t, 'author');
    const port = Number(kafka.brokers[0]!.split(':')[1]);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    const sends: Promise<void>[] = [];
    const started = Date.now();
    let restart: Promise<void> | undefined;
    for (let i = 0; i < 600; i++) {
      const due = started + i * 20; // 50 per second for 12 s
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      if (i === 150) {
        restart = (async () => {
          await kafka.stop();
          kafka = await startLocalKafka({ rootDir: ROOT_DIR, dataDir, logger, port });
        })();
      }
      sends.push(
        t
          .gql<{ postTweet: { id: string } }>('mutation($t: String!) { postTweet(text: $t) { id } }', { t: `during restart ${i}` }, author.token)
          .then((r) => {
            if (r.data?.postTweet) acknowledged.push(r.data.postTweet.id);
            else refused.push(String(r.errors?.[0]?.extensions?.code));
          }),
      );
    }
    await restart;
    // Every request is answered: acknowledged or refused with a code, none left hanging.
    await Promise.all(sends);
    console.log(`broker restart: ${acknowledged.length} acknowledged, ${refused.length} refused (${[...new Set(refused)].join(', ') || 'none'})`);
    expect(acknowledged.length + refused.length).toBe(600);
    expect(refused.every((code) => code === 'SERVICE_UNAVAILABLE')).toBe(true);

    const probe = new Redis(t.redis.url);
    try {
      await eventually(
        async () => (await probe.mget(acknowledged.map(keys.tweet))).filter((v) => v !== null).length,
        (n) => n === acknowledged.length,
        { what: 'every acknowledged tweet stored', timeoutMs: 180_000, intervalMs: 500 },
      );
    } finally {
      probe.disconnect();
    }
  });
});
