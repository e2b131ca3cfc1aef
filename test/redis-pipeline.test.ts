import { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { execChecked, TransactionDiscardedError } from '../src/adapters/redis/pipeline.js';
import { useScratchRedis } from './harness/scratch-redis.js';

/** The one check every pipeline and MULTI result goes through, against a real redis-server. */
describe('execChecked on a real Redis', () => {
  const scratch = useScratchRedis();
  beforeEach(async () => {
    await scratch.client.flushdb();
  });

  it('resolves with the replies of a pipeline and of a MULTI, in order', async () => {
    expect(await execChecked(scratch.client.pipeline().set('a', '1').incr('a').get('a'))).toEqual(['OK', 2, '2']);
    expect(await execChecked(scratch.client.multi().set('b', 'x').append('b', 'y'))).toEqual(['OK', 2]);
  });

  it('rejects when a command of a pipeline failed, which plain exec() reports as success', async () => {
    await scratch.client.set('text', 'not a number');
    const unchecked = await scratch.client.pipeline().incr('text').exec();
    expect(unchecked?.[0]?.[0]).toBeInstanceOf(Error);
    await expect(execChecked(scratch.client.pipeline().set('ok', '1').incr('text'))).rejects.toThrow(/not an integer/);
  });

  it('rejects when Redis discarded a MULTI (a watched key changed)', async () => {
    const other = new Redis(scratch.url);
    try {
      await scratch.client.watch('watched');
      await other.set('watched', 'changed');
      await expect(execChecked(scratch.client.multi().set('watched', 'mine'))).rejects.toBeInstanceOf(TransactionDiscardedError);
      expect(await scratch.client.get('watched')).toBe('changed');
    } finally {
      other.disconnect();
    }
  });
});
