import type { RedisClient } from './client.js';
import type { UserRepository } from '../../domain/users/ports.js';
import type { User } from '../../domain/types.js';
import { IGNORE_SKIPPED, type RecordIntegrity } from '../../domain/integrity/ports.js';
import { keys } from './keys.js';
import { mgetAcrossSlots } from './slots.js';
import { execChecked } from './pipeline.js';
import { defineScript } from './script.js';

/** KEYS: handle. ARGV: user id. Deletes the handle only if that user holds it, so an undo never frees another user's handle. */
const FREE_HANDLE = defineScript<number>(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

const isUser = (u: User) => typeof u.id === 'string' && typeof u.handle === 'string' && typeof u.createdAt === 'string';

/** The stored user, or `corrupt` when the value does not parse or lacks a field. */
function parseUser(value: string): User | 'corrupt' {
  try {
    const user = JSON.parse(value) as User;
    return user !== null && typeof user === 'object' && isUser(user) ? user : 'corrupt';
  } catch {
    return 'corrupt';
  }
}

export function createUserRepository(redis: RedisClient, integrity: RecordIntegrity = IGNORE_SKIPPED): UserRepository {
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
      // A record that does not parse reads as no user (and is reported), never as a failed read.
      return values.map((v, i) => {
        if (v === null) return null;
        const user = parseUser(v);
        if (user !== 'corrupt') return user;
        integrity.skipped('user', ids[i]!, 'corrupt');
        return null;
      });
    },
  };
}
