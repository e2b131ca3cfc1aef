import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { pidAlive } from './free-port.js';
import { startLocalRedisCluster } from './redis-cluster.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

describe('local Redis Cluster', () => {
  it('forms a three-master cluster that spreads keys over every node, and stops it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-redis-cluster-'));
    try {
      const cluster = await startLocalRedisCluster({ dataDir, logger });
      try {
        expect(cluster.nodes).toHaveLength(3);
        expect(new Set(cluster.nodes.map((n) => n.port)).size).toBe(3);

        const client = new Cluster(cluster.nodes.slice(0, 1));
        try {
          // One seed is enough: the client discovers the other masters.
          const ranges = (await client.cluster('SLOTS')) as [number, number, ...unknown[]][];
          expect(ranges.map(([from, to]) => [from, to]).sort((a, b) => a[0]! - b[0]!)).toEqual([[0, 5460], [5461, 10921], [10922, 16383]]);
          for (let i = 0; i < 60; i++) await client.set(`probe:${i}`, String(i));
          expect(await client.get('probe:42')).toBe('42');
        } finally {
          client.disconnect();
        }
        for (const server of cluster.servers) {
          const node = new Redis(server.port, '127.0.0.1');
          try {
            expect(await node.dbsize()).toBeGreaterThan(0);
          } finally {
            node.disconnect();
          }
        }
      } finally {
        await cluster.stop();
      }
      for (const server of cluster.servers) expect(await pidAlive(server.pid)).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
