import { describe, expect, it } from 'vitest';
import type { User } from '../domain/types.js';
import { createViewerCheck } from './viewers.js';

const user = (id: string): User => ({ id, handle: `h${id}`, createdAt: new Date(0).toISOString() });

describe('viewer check', () => {
  it('batches the lookups of one tick into one read and caches found users and ghosts for their own times', async () => {
    const reads: string[][] = [];
    const stored = new Set(['1', '2']);
    let now = 0;
    const viewers = createViewerCheck({ getMany: async (ids) => (reads.push([...ids]), ids.map((id) => (stored.has(id) ? user(id) : null))) }, { ttlMs: 60_000, missingTtlMs: 5_000, clock: () => now });

    expect(await Promise.all(['1', '2', '9'].map((id) => viewers.find(id)))).toEqual([user('1'), user('2'), null]);
    expect(reads).toEqual([['1', '2', '9']]);
    await viewers.find('1');
    await viewers.find('9');
    expect(reads).toHaveLength(1);

    now = 6_000; // the ghost is looked up again, the user not yet
    stored.add('9');
    expect(await viewers.find('9')).toEqual(user('9'));
    await viewers.find('1');
    expect(reads).toEqual([['1', '2', '9'], ['9']]);

    now = 61_000;
    await viewers.find('1');
    expect(reads.at(-1)).toEqual(['1']);
  });

  it('knows users it was told about, and keeps at most maxEntries', async () => {
    const reads: string[][] = [];
    const viewers = createViewerCheck({ getMany: async (ids) => (reads.push([...ids]), ids.map((id) => user(id))) }, { maxEntries: 2 });
    viewers.remember(user('5'));
    expect(await viewers.find('5')).toEqual(user('5'));
    expect(reads).toEqual([]);
    await viewers.find('6');
    await viewers.find('7'); // 5 is dropped, oldest first
    await viewers.find('5');
    expect(reads).toEqual([['6'], ['7'], ['5']]);
  });
});
