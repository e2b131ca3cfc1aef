import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { sideEffects } from './harness/side-effects.js';
import { recordClick, recordClickRaw, tagsOf, taste } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { postTweet, signUp, type SignedIn } from './harness/users.js';

/** A refused click gets its documented code and leaves no trace: no Redis key, no Kafka message. */
describe('refused clicks change nothing', () => {
  let t: TestApp;
  let clicker: SignedIn;
  let tweetId: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { CLICK_RATE_LIMIT: '3' } });
    clicker = await signUp(t, 'clicker');
    const author = await signUp(t, 'author');
    tweetId = await postTweet(t, author, 'The basketball playoffs tonight were unreal');
    await eventually(() => tagsOf(t, tweetId), (tags) => tags.length > 0, { what: 'tweet tagged' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('an unknown or deleted tweet → NOT_FOUND', async () => {
    const before = await sideEffects(t);
    const res = await recordClickRaw(t, clicker, '123456789');
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.message).toMatch(/not found/);
    expect(await sideEffects(t)).toEqual(before);
  });

  it('a malformed id → BAD_USER_INPUT; no token → UNAUTHENTICATED', async () => {
    const before = await sideEffects(t);
    const bad = await recordClickRaw(t, clicker, 'abc');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tweetId' });
    const anonymous = await t.gql('mutation($id: ID!) { recordClick(tweetId: $id) }', { id: tweetId });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await sideEffects(t)).toEqual(before);
  });

  it('past the per-user limit → RATE_LIMITED with retryAfterSeconds, and other users are not limited', async () => {
    await recordClick(t, clicker, tweetId);
    // Wait for the first click's writes, so the fingerprint below only moves if the refused click writes.
    await eventually(() => taste(t, clicker), (tags) => tags.length > 0, { what: 'first click learned' });
    await recordClick(t, clicker, tweetId);
    await recordClick(t, clicker, tweetId);

    const before = await sideEffects(t);
    const res = await recordClickRaw(t, clicker, tweetId);
    expect(res.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = (res.errors?.[0]?.extensions as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.errors?.[0]?.message).toMatch(/too many clicks/);
    expect(await sideEffects(t)).toEqual(before);

    const other = await signUp(t, 'other');
    await recordClick(t, other, tweetId);
  });
});
