import type { RedisClient } from './client.js';
import type { UserRepository } from '../../domain/users/ports.js';
import type { User } from '../../domain/types.js';
import { keys } from './keys.js';
import { mgetAcrossSlots } from './slots.js';
import { execChecked } from './pipeline.js';
import { defineScript } from './script.js';

/** KEYS: handle. ARGV: user id. Deletes the handle only if that user holds it, so an undo never frees another user's handle. */
const FREE_HANDLE = defineScript<number>(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export function createUserRepository(redis: RedisClient): UserRepository {
  return {
    async create({ user, passwordHash }) {
      // The handle key is the uniqueness lock: claim it first, then write the records.
      const claimed = await redis.set(keys.handle(user.handle), user.id, 'NX');
      if (claimed !== 'OK') return false;
      await execChecked(redis.multi().set(keys.user(user.id), JSON.stringify(user)).set(keys.password(user.id), passwordHash));
      return true;
    },
    async remove(user) {
      await FREE_HANDLE(redis, [keys.handle(user.handle)], [user.id]);
      await execChecked(redis.pipeline().unlink(keys.user(user.id)).unlink(keys.password(user.id)));
    },
    async restore({ user, passwordHash }) {
      // The handle lives in another hash slot than the user's records (which share one).
      await Promise.all([
        redis.set(keys.handle(user.handle), user.id),
        execChecked(redis.pipeline().set(keys.user(user.id), JSON.stringify(user)).set(keys.password(user.id), passwordHash)),
      ]);
    },
    findIdByHandle: (handle) => redis.get(keys.handle(handle)),
    getPasswordHash: (userId) => redis.get(keys.password(userId)),
    async getMany(ids) {
      if (ids.length === 0) return [];
      const values = await mgetAcrossSlots(redis, ids.map(keys.user));
      return values.map((v) => (v === null ? null : (JSON.parse(v) as User)));
    },
  };
}
