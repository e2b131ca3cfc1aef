import { describe, expect, it } from 'vitest';
import { encodeNotificationCursor } from '../domain/notifications/grouping.js';
import type { NotificationGroup, NotificationStore } from '../domain/notifications/ports.js';
import { createNotifications } from './notifications.js';

const group = (key: string, latestAt: number): NotificationGroup => ({ recipientId: '7', key, kind: 'LIKE', tweetId: key.split(':')[1]!, actorCount: 2, latestAt, read: false });

/** A store that records what it was asked, and answers a fixed page and actor lists. */
function fakeStore() {
  const calls: string[] = [];
  const store: NotificationStore = {
    record: async () => null,
    retract: async () => false,
    page: async (recipientId, first, after) => {
      calls.push(`page ${recipientId} ${first} ${after ? `${after.score}/${after.group}` : '-'}`);
      return { groups: [group('like:12', 20), group('like:11', 10)], hasNextPage: true };
    },
    group: async () => null,
    actors: async (_r, keys, first) => {
      calls.push(`actors ${keys.join(',')} ${first}`);
      return keys.map(() => ['8', '9', '10'].slice(0, first));
    },
    unreadCount: async () => 0,
    markReadUpTo: async (recipientId, upTo) => {
      calls.push(`mark ${recipientId} ${upTo}`);
      return 1;
    },
  };
  return { store, calls };
}

describe('notifications use case', () => {
  it('pages with cursors of the viewer and passes positions to the store', async () => {
    const { store, calls } = fakeStore();
    const n = createNotifications({ store, actorFilter: { hiddenActors: async () => new Set(), hiddenFrom: async () => new Set() }, maxPageSize: 50, actorsCap: 20 });
    const page = await n.page('7', 2, null);
    expect(page.endCursor).toBe(encodeNotificationCursor({ ownerId: '7', score: 10, group: 'like:11' }));
    await n.page('7', 2, page.endCursor);
    expect(calls).toEqual(['page 7 2 -', 'page 7 2 10/like:11']);
    await expect(n.page('7', 51, null)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it("refuses another user's or a malformed cursor before the store is asked", async () => {
    const { store, calls } = fakeStore();
    const n = createNotifications({ store, actorFilter: { hiddenActors: async () => new Set(), hiddenFrom: async () => new Set() }, maxPageSize: 50, actorsCap: 20 });
    const others = encodeNotificationCursor({ ownerId: '8', score: 10, group: 'like:11' });
    await expect(n.markRead('7', others)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'upTo' });
    await expect(n.markRead('7', 'garbage!')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'upTo' });
    await expect(n.page('7', 5, others)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(calls).toEqual([]);
    expect(await n.markRead('7', encodeNotificationCursor({ ownerId: '7', score: 10, group: 'like:11' }))).toBe(1);
    expect(calls).toEqual(['mark 7 10']);
  });

  it('leaves out actors the filter hides from the viewer, and asks for no more than the cap', async () => {
    const { store, calls } = fakeStore();
    const n = createNotifications({ store, actorFilter: { hiddenActors: async (_v, ids) => new Set(ids.filter((id) => id === '9')), hiddenFrom: async () => new Set(['9']) }, maxPageSize: 50, actorsCap: 2 });
    expect(await n.actors('7', ['like:11', 'like:12'], 3)).toEqual([['8'], ['8']]);
    expect(calls).toEqual(['actors like:11,like:12 2']);
  });
});
