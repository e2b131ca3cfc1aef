import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * Registers beforeAll/afterAll hooks of the calling suite that start and stop a scratch Redis;
 * `client` (and `url`, for more connections) are usable inside the suite's tests.
 */
export function useScratchRedis(): { readonly client: Redis; readonly url: string } {
  let scratch: ScratchRedis | undefined;
  beforeAll(async () => {
    scratch = await startScratchRedis();
  });
  afterAll(async () => {
    await scratch?.stop();
  });
  return {
    get client() {
      if (!scratch) throw new Error('the scratch Redis is only there inside the suite’s tests');
      return scratch.client;
    },
    get url() {
      if (!scratch) throw new Error('the scratch Redis is only there inside the suite’s tests');
      return scratch.server.url;
    },
  };
}
