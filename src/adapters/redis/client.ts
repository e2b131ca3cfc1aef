import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';

export type { Cluster, Redis };

/**
 * What every Redis adapter accepts: one Redis server or a Redis Cluster. Keys that a script or
 * MULTI writes together share a hash tag (keys.ts); anything that crosses slots goes through
 * slots.ts, which is a plain MGET or pipeline on a single server.
 */
export type RedisClient = Redis | Cluster;

/** host:port of a cluster seed node; the client discovers the others from it. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** Where Redis is: one server by URL, or a cluster by some of its nodes. */
export type RedisEndpoint = { url: string } | { clusterNodes: readonly RedisNodeAddress[] };

const MAX_RETRIES_PER_REQUEST = 20;
const retryDelayMs = (times: number) => Math.min(50 * 2 ** times, 2000);

/**
 * One shared connection (per cluster node) per process. Commands queue while reconnecting, so a
 * Redis restart or failover delays requests instead of failing them; after 20 retries per command
 * the caller sees the error. Auto-pipelining batches concurrent commands, per node on a cluster.
 */
export function createRedis(target: RedisEndpoint, logger: Logger): RedisClient {
  const client: RedisClient =
    'url' in target
      ? new Redis(target.url, { maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST, enableAutoPipelining: true, retryStrategy: retryDelayMs })
      : new Cluster(
          target.clusterNodes.map((n) => ({ host: n.host, port: n.port })),
          {
            enableAutoPipelining: true,
            clusterRetryStrategy: retryDelayMs,
            redisOptions: { maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST },
          },
        );
  client.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  // A cluster reports each node's connection trouble separately, with the node's address.
  client.on('node error', (err: Error, node: string) => logger.warn({ err: err.message, node }, 'redis cluster node error'));
  return client;
}
