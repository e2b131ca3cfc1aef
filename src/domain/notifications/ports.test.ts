import { describe, expect, it } from 'vitest';
import { hiddenFromFilter, noActorFilter } from './ports.js';

describe('actor filters', () => {
  it('noActorFilter hides nobody', async () => {
    expect(await noActorFilter.hiddenActors('7', ['8', '9'])).toEqual(new Set());
  });

  it('hiddenFromFilter hides the actors among those hidden from the recipient, asking once per call and not at all for none', async () => {
    const asked: string[] = [];
    const filter = hiddenFromFilter({ hiddenFrom: async (userId) => (asked.push(userId), new Set(['9', '11'])) });
    expect(await filter.hiddenActors('7', ['8', '9', '10'])).toEqual(new Set(['9']));
    expect(await filter.hiddenActors('7', [])).toEqual(new Set());
    expect(asked).toEqual(['7']);
    // For reads that issue it beside their own: the whole set, one question.
    expect(await filter.hiddenFrom('7')).toEqual(new Set(['9', '11']));
    expect(await noActorFilter.hiddenFrom('7')).toEqual(new Set());
  });
});
