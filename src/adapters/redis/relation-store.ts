import type { RedisClient } from './client.js';
import type { RelationKind, RelationStore } from '../../domain/relations/ports.js';
import { keys } from './keys.js';
import { multiAcrossSlots } from './slots.js';

/** The user's own list of a relation, and the other side's reverse one. */
const SIDES: Record<RelationKind, { own: (id: string) => string; reverse: (id: string) => string }> = {
  mute: { own: keys.mutes, reverse: keys.mutedBy },
  block: { own: keys.blocks, reverse: keys.blockedBy },
};

/**
 * The only module touching `mutes:*`, `mutedby:*`, `blocks:*` and `blockedby:*` (the fan-out
 * script in timeline-scripts.ts reads the reverse sets by the names keys.ts gives it). Sorted sets
 * scored by the relation's time; each user's four share a hash tag, so everyone hidden from a
 * viewer is one ZUNION. Writes go reverse side first, own side second (whose reply says whether
 * the relation is new), each idempotent, as the follow graph orders its two sides.
 */
export function createRelationStore(redis: RedisClient): RelationStore {
  const atOrBefore = (score: string | null, at: number) => score !== null && Number(score) <= at;
  return {
    async add(kind, userId, otherId, at) {
      const { own, reverse } = SIDES[kind];
      const [, added] = await multiAcrossSlots(redis, [
        { key: reverse(otherId), queue: (m) => m.zadd(reverse(otherId), 'NX', at, userId) },
        { key: own(userId), queue: (m) => m.zadd(own(userId), 'NX', at, otherId) },
      ]);
      return Number(added?.[0]) === 1;
    },
    async remove(kind, userId, otherId) {
      const { own, reverse } = SIDES[kind];
      const [, removed] = await multiAcrossSlots(redis, [
        { key: reverse(otherId), queue: (m) => m.zrem(reverse(otherId), userId) },
        { key: own(userId), queue: (m) => m.zrem(own(userId), otherId) },
      ]);
      return Number(removed?.[0]) === 1;
    },
    async hiddenFrom(viewerId) {
      return new Set(await redis.zunion(3, keys.mutes(viewerId), keys.blocks(viewerId), keys.blockedBy(viewerId)));
    },
    async blockStates(userId, otherIds) {
      if (otherIds.length === 0) return [];
      // Issued together: one round trip.
      const [blocked, blockedBy] = await Promise.all([
        redis.zmscore(keys.blocks(userId), ...otherIds),
        redis.zmscore(keys.blockedBy(userId), ...otherIds),
      ]);
      return otherIds.map((_, i) => ({ blocked: blocked[i] !== null, blockedBy: blockedBy[i] !== null }));
    },
    async excludedAudience(authorId, candidateIds, at) {
      if (candidateIds.length === 0) return [];
      const [mutedBy, blocks, blockedBy] = await Promise.all([
        redis.zmscore(keys.mutedBy(authorId), ...candidateIds),
        redis.zmscore(keys.blocks(authorId), ...candidateIds),
        redis.zmscore(keys.blockedBy(authorId), ...candidateIds),
      ]);
      return candidateIds.map((_, i) => atOrBefore(mutedBy[i]!, at) || atOrBefore(blocks[i]!, at) || atOrBefore(blockedBy[i]!, at));
    },
  };
}
