import { Redis } from 'ioredis';

/**
 * A Redis connection for the benchmark's own reads and writes. Connection errors surface as the
 * failing command's error; the 'error' events alone are noise (e.g. while a run is interrupted).
 */
export function benchRedis(url: string, db = 0): Redis {
  const redis = new Redis(url, { db });
  redis.on('error', () => undefined);
  return redis;
}
