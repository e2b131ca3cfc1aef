import type { Position } from '../domain/cursor.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { TimelineStore } from '../domain/timelines/ports.js';
import type { IdPage } from '../domain/types.js';
import type { UserRepository } from '../domain/users/ports.js';

/**
 * The public reads about one user: who they are by handle, whom they follow and who follows
 * them, and what they posted. Resolvers reach the graph, the users and the author timelines only
 * through this use case, so what a profile page may read is said in one place.
 */
export interface Profiles {
  idByHandle(handle: string): Promise<string | null>;
  followers(userId: string, first: number, after?: Position): Promise<IdPage>;
  following(userId: string, first: number, after?: Position): Promise<IdPage>;
  /** The user's own tweets, newest first (their author timeline). */
  tweets(userId: string, first: number, after?: Position): Promise<IdPage>;
}

export function createProfiles(deps: { users: UserRepository; graph: FollowGraph; timelines: TimelineStore }): Profiles {
  return {
    idByHandle: (handle) => deps.users.findIdByHandle(handle),
    followers: (userId, first, after) => deps.graph.followers(userId, first, after),
    following: (userId, first, after) => deps.graph.following(userId, first, after),
    tweets: (userId, first, after) => deps.timelines.authorPage(userId, first, after),
  };
}
