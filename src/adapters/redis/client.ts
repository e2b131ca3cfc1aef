import { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';

export type { Redis };

/**
 * One shared connection per process. Commands queue while reconnecting, so a Redis restart
 * delays requests instead of failing them; after 20 retries per command the caller sees the error.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 20,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  return redis;
}
