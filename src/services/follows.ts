import { badInput, notFound } from '../domain/errors.js';
import { makeEvent, type FollowEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import { refuseAcrossBlock } from '../domain/relations/block-refusal.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { UserRepository } from '../domain/users/ports.js';
import type { User } from '../domain/types.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { validateHandle } from '../domain/validation.js';

export interface FollowCommands {
  /**
   * Spends a unit of the follower's write budget (the one tweets spend; RATE_LIMITED when spent), then writes both directions at once (counts change immediately) and publishes `follow.created`
   * keyed by follower, with the edge's time (a rebuild restores the graph from these events). Idempotent: following twice publishes once. If the publish fails, the
   * edge is removed again and the error propagates. BLOCKED when either user blocked the other.
   */
  follow(followerId: string, handle: string): Promise<User>;
  /** The inverse of follow, with `follow.removed`. */
  unfollow(followerId: string, handle: string): Promise<User>;
  /**
   * Removes the edge between two users by id, as `unfollow` does (event included, undone if the
   * publish fails); false if there was none. For blocks, which end follows both ways: it spends no
   * budget (the block spent its own).
   */
  removeEdge(followerId: string, followeeId: string): Promise<boolean>;
}

/** The user a handle names, or NOT_FOUND; BAD_USER_INPUT for the actor's own handle. Spends no budget. */
export async function userByHandle(users: UserRepository, actorId: string, handle: string, what: string): Promise<User> {
  validateHandle(handle);
  const id = await users.findIdByHandle(handle);
  const [user] = id ? await users.getMany([id]) : [null];
  if (!user) throw notFound(`no user with handle "${handle}"`);
  if (user.id === actorId) throw badInput('handle', `you cannot ${what} yourself`);
  return user;
}

export function createFollowCommands(deps: {
  users: UserRepository;
  graph: FollowGraph;
  relations: Pick<RelationStore, 'blockStates'>;
  events: EventPublisher;
  writeBudget: RateLimiter;
}): FollowCommands {
  async function target(followerId: string, handle: string): Promise<User> {
    await withinRateLimit(deps.writeBudget, followerId, 'requests');
    return userByHandle(deps.users, followerId, handle, 'follow or unfollow');
  }

  async function removeEdge(followerId: string, followeeId: string): Promise<boolean> {
    if (!(await deps.graph.unfollow(followerId, followeeId))) return false;
    try {
      await deps.events.publish('follows', followerId, makeEvent<FollowEvent>('follow.removed', { followerId, followeeId }));
    } catch (err) {
      await deps.graph.follow(followerId, followeeId, Date.now());
      throw err;
    }
    return true;
  }

  return {
    async follow(followerId, handle) {
      const followee = await target(followerId, handle);
      const [state] = await deps.relations.blockStates(followerId, [followee.id]);
      refuseAcrossBlock(state, `@${followee.handle}`, 'follow', 'handle');
      const followedAt = Date.now();
      if (await deps.graph.follow(followerId, followee.id, followedAt)) {
        try {
          await deps.events.publish('follows', followerId, makeEvent<FollowEvent>('follow.created', { followerId, followeeId: followee.id, followedAt }));
        } catch (err) {
          await deps.graph.unfollow(followerId, followee.id);
          throw err;
        }
      }
      return followee;
    },
    async unfollow(followerId, handle) {
      const followee = await target(followerId, handle);
      await removeEdge(followerId, followee.id);
      return followee;
    },
    removeEdge,
  };
}
