import { makeEvent, type EventPublisher, type RelationEvent } from '../domain/events.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { RelationKind, RelationStore } from '../domain/relations/ports.js';
import type { User } from '../domain/types.js';
import type { UserRepository } from '../domain/users/ports.js';
import type { Logger } from '../observability/logger.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { userByHandle, type FollowCommands } from './follows.js';

/** Each command first spends a unit of the actor's write budget (the one tweets and follows spend; RATE_LIMITED when spent). */
export interface RelationCommands {
  /**
   * Hides the user's tweets, reposts, replies and notifications from the viewer from the next
   * request on (reads filter them; fan-out skips the viewer for their new tweets). Idempotent.
   */
  mute(viewerId: string, handle: string): Promise<User>;
  unmute(viewerId: string, handle: string): Promise<User>;
  /**
   * As mute, both ways, and more: the follows between the two end (each with its own
   * `follow.removed`), and the blocked user can no longer follow, reply to, mention or repost the
   * blocker (BLOCKED). Idempotent: blocking again repairs a block cut short half-way.
   */
  block(viewerId: string, handle: string): Promise<User>;
  unblock(viewerId: string, handle: string): Promise<User>;
}

/**
 * Mutes and blocks, written by the API itself (like follows: in force at once) and published to
 * `relations` keyed by the actor, so a rebuild restores them; a failed publish undoes the write.
 * Afterwards the live subscriptions concerned are told to resync, so a running stream stops
 * showing a muted author too.
 */
export function createRelationCommands(deps: {
  users: UserRepository;
  relations: RelationStore;
  follows: Pick<FollowCommands, 'removeEdge'>;
  events: EventPublisher;
  live: Pick<LivePublisher, 'pushFollowsChanged'>;
  logger: Logger;
  /** The per-user budget every mutation shares. */
  writeBudget: RateLimiter;
  clock?: () => number;
}): RelationCommands {
  const clock = deps.clock ?? Date.now;

  async function targetOf(viewerId: string, handle: string, what: string): Promise<User> {
    await withinRateLimit(deps.writeBudget, viewerId, 'requests');
    return userByHandle(deps.users, viewerId, handle, what);
  }

  /** Best effort: a stream that misses it still filters by what it read when it started. */
  async function resync(userIds: string[]): Promise<void> {
    try {
      await deps.live.pushFollowsChanged(userIds);
    } catch (err) {
      deps.logger.warn({ err, userIds }, 'telling live streams about a mute or block failed');
    }
  }

  async function publish(userId: string, event: RelationEvent): Promise<void> {
    await deps.events.publish('relations', userId, event);
  }

  async function add(kind: RelationKind, viewerId: string, target: User, before?: () => Promise<void>): Promise<void> {
    const at = clock();
    const added = await deps.relations.add(kind, viewerId, target.id, at);
    try {
      await before?.();
      if (added) await publish(viewerId, makeEvent<RelationEvent>(`${kind}.created`, { userId: viewerId, targetId: target.id, at }));
    } catch (err) {
      if (added) await deps.relations.remove(kind, viewerId, target.id);
      throw err;
    }
  }

  async function remove(kind: RelationKind, viewerId: string, target: User): Promise<void> {
    if (!(await deps.relations.remove(kind, viewerId, target.id))) return;
    try {
      await publish(viewerId, makeEvent<RelationEvent>(`${kind}.removed`, { userId: viewerId, targetId: target.id }));
    } catch (err) {
      await deps.relations.add(kind, viewerId, target.id, clock());
      throw err;
    }
  }

  return {
    async mute(viewerId, handle) {
      const target = await targetOf(viewerId, handle, 'mute or unmute');
      await add('mute', viewerId, target);
      await resync([viewerId]);
      return target;
    },
    async unmute(viewerId, handle) {
      const target = await targetOf(viewerId, handle, 'mute or unmute');
      await remove('mute', viewerId, target);
      await resync([viewerId]);
      return target;
    },
    async block(viewerId, handle) {
      const target = await targetOf(viewerId, handle, 'block or unblock');
      // The block is in force before the follows go, so neither can follow again in between.
      await add('block', viewerId, target, async () => {
        await deps.follows.removeEdge(viewerId, target.id);
        await deps.follows.removeEdge(target.id, viewerId);
      });
      await resync([viewerId, target.id]);
      return target;
    },
    async unblock(viewerId, handle) {
      const target = await targetOf(viewerId, handle, 'block or unblock');
      await remove('block', viewerId, target);
      await resync([viewerId, target.id]);
      return target;
    },
  };
}
