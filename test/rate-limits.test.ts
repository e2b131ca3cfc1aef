import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sideEffects } from './harness/side-effects.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { eventually } from './harness/poll.js';
import { relate, relateRaw } from './harness/social.js';
import { homeTimeline, postTweet, signUp } from './harness/users.js';

/** Per-user budgets on mutations, backed by Redis: past it, RATE_LIMITED with a retry-after, nothing produced. */
describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { MUTATION_RATE_LIMIT: '3', AUTH_RATE_LIMIT: '2' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a user’s writes past the budget, with retryAfterSeconds, and produces nothing', async () => {
    const user = await signUp(t, 'busy');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await postTweet(t, user, `football match day ${i}, what a goal`));
    // Let every consumer group finish with them, so the fingerprint below is stable.
    await eventually(
      () => t.gql<{ tweet: { tags: string[]; moderation: unknown } | null }>('query($id: ID!) { tweet(id: $id) { tags moderation { flagged } } }', { id: ids[2] }),
      (r) => (r.data?.tweet?.tags.length ?? 0) > 0 && r.data?.tweet?.moderation != null,
      { what: 'tweets processed' },
    );
    await eventually(() => homeTimeline(t, user), (p) => p.edges.length === 3, { what: 'fan-out' });
    const before = await sideEffects(t);
    const res = await t.gql('mutation { postTweet(text: "one too many") { id } }', {}, user.token);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(res.errors?.[0]?.message).toMatch(/too many requests: try again in \d+ s/);
    expect(await sideEffects(t)).toEqual(before);

    // Budgets are per user: someone else can still post.
    const other = await signUp(t, 'calm');
    await postTweet(t, other, 'my own budget');
  });

  it('mutes, blocks and their undoing spend the same write budget as posting; past it they store and produce nothing', async () => {
    const user = await signUp(t, 'social');
    const [a, b] = [await signUp(t, 'targeta'), await signUp(t, 'targetb')];
    await relate(t, user, 'mute', a.handle);
    await relate(t, user, 'block', b.handle);
    await relate(t, user, 'unmute', a.handle);
    // Three writes spent the budget: a post is refused now, and so is every relation mutation.
    const post = await t.gql('mutation { postTweet(text: "no budget left") { id } }', {}, user.token);
    expect(post.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    const before = await sideEffects(t);
    for (const mutation of ['mute', 'unmute', 'block', 'unblock'] as const) {
      const res = await relateRaw(t, user, mutation, mutation === 'unblock' ? b.handle : a.handle);
      expect(res.errors?.[0]?.extensions, mutation).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    }
    expect(await sideEffects(t)).toEqual(before);
  });

  it('slows password guessing from one client address (hostile-auth.test.ts has the rest of the sign-in budgets)', async () => {
    const user = await signUp(t, 'guarded');
    const attempt = () => t.gql('mutation($h: String!) { logIn(handle: $h, password: "wrong guess") { token } }', { h: user.handle });
    // This address's budget of 2 (signUp has its own).
    expect((await attempt()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await attempt()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const limited = await attempt();
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.message).toMatch(/too many sign-in attempts from this address: try again in \d+ s/);
  });
});
