import { Redis } from 'ioredis';
import type { TestApp } from './test-app.js';

/** A fingerprint of everything stored or produced: Redis key count and every topic's end offsets. */
export async function sideEffects(t: TestApp): Promise<{ redisKeys: number; messages: Record<string, number> }> {
  const redis = new Redis(t.redis.url);
  const admin = t.app.kafka.admin();
  await admin.connect();
  try {
    const messages: Record<string, number> = {};
    for (const name of ['tweets', 'follows', 'clicks'] as const) {
      const offsets = await admin.fetchTopicOffsets(t.topic(name));
      messages[name] = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    }
    return { redisKeys: await redis.dbsize(), messages };
  } finally {
    await admin.disconnect();
    redis.disconnect();
  }
}
