import { decodeNotificationCursor, encodeNotificationCursor } from '../domain/notifications/grouping.js';
import type { ActorFilter, NotificationGroup, NotificationStore } from '../domain/notifications/ports.js';
import { validateFirst } from '../domain/validation.js';

/** A page of notifications as the API shows it: each group with its cursor. */
export interface NotificationsPage {
  edges: { cursor: string; node: NotificationGroup }[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Notifications {
  /**
   * The viewer's notification groups, newest activity first. BAD_USER_INPUT for `first` outside
   * 1..maxPageSize and for a malformed cursor or one of another user's notifications. One Redis
   * round trip (groups, counts and read flags together).
   */
  page(viewerId: string, first: number | null | undefined, after: string | null | undefined): Promise<NotificationsPage>;
  /** One group, or null once it is gone: what a live push names. */
  group(viewerId: string, key: string): Promise<NotificationGroup | null>;
  /**
   * The newest `first` actors of each group (capped at NOTIFICATIONS_ACTORS_CAP), those the viewer
   * hides left out, in input order; one round trip for the groups and one for the filter.
   */
  actors(viewerId: string, groupKeys: readonly string[], first: number): Promise<string[][]>;
  unreadCount(viewerId: string): Promise<number>;
  /**
   * Marks every group up to the cursor's position (a cursor of the viewer's own notifications,
   * else BAD_USER_INPUT and nothing is written) read; returns how many were unread. Idempotent:
   * marking up to the same cursor again returns 0.
   */
  markRead(viewerId: string, upTo: string): Promise<number>;
}

export function createNotifications(deps: { store: NotificationStore; actorFilter: ActorFilter; maxPageSize: number; actorsCap: number }): Notifications {
  const cursorOf = (g: NotificationGroup) => encodeNotificationCursor({ ownerId: g.recipientId, score: g.latestAt, group: g.key });
  return {
    async page(viewerId, first, after) {
      const size = validateFirst(first, deps.maxPageSize);
      const from = after == null ? undefined : decodeNotificationCursor(after, viewerId);
      const { groups, hasNextPage } = await deps.store.page(viewerId, size, from);
      const last = groups.at(-1);
      return { edges: groups.map((node) => ({ cursor: cursorOf(node), node })), hasNextPage, endCursor: last ? cursorOf(last) : null };
    },
    group: (viewerId, key) => deps.store.group(viewerId, key),
    async actors(viewerId, groupKeys, first) {
      // Issued together: who the viewer hides rides in the actors' round trip.
      const [lists, hidden] = await Promise.all([
        deps.store.actors(viewerId, groupKeys, Math.min(Math.max(first, 0), deps.actorsCap)),
        deps.actorFilter.hiddenFrom(viewerId),
      ]);
      return hidden.size === 0 ? lists : lists.map((ids) => ids.filter((id) => !hidden.has(id)));
    },
    unreadCount: (viewerId) => deps.store.unreadCount(viewerId),
    async markRead(viewerId, upTo) {
      const position = decodeNotificationCursor(upTo, viewerId, 'upTo');
      return deps.store.markReadUpTo(viewerId, position.score);
    },
  };
}
