import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';

export type ScriptArg = string | number;

/**
 * A Lua script run by SHA (EVALSHA), sending the body (EVAL) only when the server does not have
 * it cached yet (after a restart or failover). One call either way for the caller.
 */
export function defineScript<T>(lua: string): (redis: RedisClient, keys: readonly string[], args: readonly ScriptArg[]) => Promise<T> {
  const sha = createHash('sha1').update(lua, 'utf8').digest('hex');
  return async (redis, keys, args) => {
    try {
      return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as T;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return (await redis.eval(lua, keys.length, ...keys, ...args)) as T;
    }
  };
}
