import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp } from './harness/users.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';

/** Two API instances of one deployment: a subscriber on one sees tweets posted through the other. */
describe('live updates across API instances', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({ sameDeploymentAs: first, roles: { api: true, consumers: [] }, env: { WORKER_ID: '2' } });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('delivers a tweet posted through instance 2 to a subscriber on instance 1', async () => {
    const reader = await signUp(first, 'reader');
    const author = await signUp(second, 'author');
    await follow(second, reader, author.handle);
    const live = subscribe(first.url, 'subscription { homeTimeline { node { id text } } }', { token: reader.token });
    await subscriptionsActive(first.app);

    const id = await postTweet(second, author, 'hello from the other instance');
    const results = await eventually(async () => live.results, (r) => r.length >= 1, { what: 'push on instance 1' });
    expect(results[0]!.data).toEqual({ homeTimeline: { node: { id, text: 'hello from the other instance' } } });
    // The other instance has no listener for this user and was sent nothing.
    expect((await second.app.metrics.live.messagesPushed.get()).values[0]?.value ?? 0).toBe(0);
    await live.dispose();
  });
});
