import { Redis } from 'ioredis';
import { createKafkaAdmin } from '../../src/adapters/kafka/admin.js';
import type { TestApp } from './test-app.js';

/**
 * A fingerprint of everything stored or produced: Redis keys and every topic's end offsets.
 * Rate-limit counters are left out: spending budget on a refused request is the point of them.
 */
export async function sideEffects(t: TestApp): Promise<{ redisKeys: number; messages: Record<string, number> }> {
  const redis = new Redis(t.redis.url);
  const admin = createKafkaAdmin(t.app.kafka);
  await admin.connect();
  try {
    const messages: Record<string, number> = {};
    for (const name of ['users', 'tweets', 'follows', 'relations', 'clicks'] as const) {
      const offsets = await admin.topicOffsets(t.topic(name));
      messages[name] = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    }
    let redisKeys = 0;
    for await (const batch of redis.scanStream({ count: 1000 }) as AsyncIterable<string[]>) {
      redisKeys += batch.filter((key) => !key.startsWith('ratelimit:')).length;
    }
    return { redisKeys, messages };
  } finally {
    await admin.disconnect();
    redis.disconnect();
  }
}
