import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startLocalRedis, type LocalRedis } from '../../src/local/redis-server.js';
import { createLogger } from '../../src/observability/logger.js';

export interface ScratchRedis {
  server: LocalRedis;
  /** A plain client connected to it. */
  client: Redis;
  /** Disconnects, stops the server and removes its data folder. */
  stop(): Promise<void>;
}

/** A real redis-server of its own on a free port, for adapter tests that need no app around it. */
export async function startScratchRedis(): Promise<ScratchRedis> {
  const dataDir = mkdtempSync(path.resolve(import.meta.dirname, '../../.local/test-redis-'));
  const server = await startLocalRedis({ dataDir, logger: createLogger({ level: 'warn' }) });
  const client = new Redis(server.url);
  return {
    server,
    client,
    async stop() {
      client.disconnect();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
