import type { RedisClient } from './client.js';
import type { UserRepository } from '../../domain/ports.js';
import type { User } from '../../domain/types.js';
import { keys } from './keys.js';
import { mgetAcrossSlots } from './slots.js';

export function createUserRepository(redis: RedisClient): UserRepository {
  return {
    async create({ user, passwordHash }) {
      // The handle key is the uniqueness lock: claim it first, then write the records.
      const claimed = await redis.set(keys.handle(user.handle), user.id, 'NX');
      if (claimed !== 'OK') return false;
      await redis.multi().set(keys.user(user.id), JSON.stringify(user)).set(keys.password(user.id), passwordHash).exec();
      return true;
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
