import DataLoader from 'dataloader';
import type { User } from '../domain/types.js';
import type { UserRepository } from '../domain/users/ports.js';

/**
 * Whether the user a valid token names is stored: a token for an id that no user has (a ghost,
 * e.g. one signed before a data loss or for a user removed by hand) is refused like a forged one.
 *
 * Cheap by a short per-process cache in front of a batched read: lookups of the same tick share one
 * MGET (the user records, which then prime the request's user loader, so `me` costs nothing more).
 * A user found is trusted for `ttlMs` (users are never deleted; the bound is for state restored
 * or lost under a running API), a ghost for `missingTtlMs` (so a flood of one ghost's requests costs
 * Redis one read per few seconds). At most `maxEntries` are kept, oldest dropped first.
 */
export interface ViewerCheck {
  /** The stored user `userId` names, or null. */
  find(userId: string): Promise<User | null>;
  /** A user that was just written or read (sign-up, log-in): found without a read. */
  remember(user: User): void;
}

export interface ViewerCheckOptions {
  ttlMs?: number;
  missingTtlMs?: number;
  maxEntries?: number;
  clock?: () => number;
}

export function createViewerCheck(users: Pick<UserRepository, 'getMany'>, options: ViewerCheckOptions = {}): ViewerCheck {
  const ttlMs = options.ttlMs ?? 60_000;
  const missingTtlMs = options.missingTtlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 50_000;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { user: User | null; until: number }>();
  // No DataLoader cache: the map above is the cache, with expiry; the loader only batches.
  const loader = new DataLoader<string, User | null>((ids) => users.getMany(ids), { cache: false });
  const keep = (id: string, user: User | null) => {
    cache.delete(id);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(id, { user, until: clock() + (user ? ttlMs : missingTtlMs) });
  };
  return {
    async find(userId) {
      const hit = cache.get(userId);
      if (hit && hit.until > clock()) return hit.user;
      const user = await loader.load(userId);
      keep(userId, user);
      return user;
    },
    remember: (user) => keep(user.id, user),
  };
}
