import { badInput, notFound } from '../domain/errors.js';
import { makeEvent, type FollowEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { UserRepository } from '../domain/users/ports.js';
import type { User } from '../domain/types.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { validateHandle } from '../domain/validation.js';

export interface FollowCommands {
  /**
   * Spends a unit of the follower's write budget (the one tweets spend; RATE_LIMITED when spent), then writes both directions at once (counts change immediately) and publishes `follow.created`
   * keyed by follower, with the edge's time (a rebuild restores the graph from these events). Idempotent: following twice publishes once. If the publish fails, the
   * edge is removed again and the error propagates.
   */
  follow(followerId: string, handle: string): Promise<User>;
  /** The inverse of follow, with `follow.removed`. */
  unfollow(followerId: string, handle: string): Promise<User>;
}

export function createFollowCommands(deps: { users: UserRepository; graph: FollowGraph; events: EventPublisher; writeBudget: RateLimiter }): FollowCommands {
  async function target(followerId: string, handle: string): Promise<User> {
    await withinRateLimit(deps.writeBudget, followerId, 'requests');
    validateHandle(handle);
    const id = await deps.users.findIdByHandle(handle);
    const [user] = id ? await deps.users.getMany([id]) : [null];
    if (!user) throw notFound(`no user with handle "${handle}"`);
    if (user.id === followerId) throw badInput('handle', 'you cannot follow or unfollow yourself');
    return user;
  }

  return {
    async follow(followerId, handle) {
      const followee = await target(followerId, handle);
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
      if (await deps.graph.unfollow(followerId, followee.id)) {
        try {
          await deps.events.publish('follows', followerId, makeEvent<FollowEvent>('follow.removed', { followerId, followeeId: followee.id }));
        } catch (err) {
          await deps.graph.follow(followerId, followee.id, Date.now());
          throw err;
        }
      }
      return followee;
    },
  };
}
