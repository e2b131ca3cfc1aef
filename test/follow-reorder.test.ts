import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent, type FollowEvent } from '../src/domain/events.js';
import { consumed, processedByGroup } from './harness/consumed.js';
import { produceRaw } from './harness/kafka.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';

/**
 * A follow event that comes back from its group's retry topic can arrive after a later event of
 * the same pair. The timeline-merge group must then do what the follow graph says now.
 */
describe('timeline-merge follows the graph, not the order events arrive in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function deliverLate(event: FollowEvent, followerId: string): Promise<void> {
    const before = (await processedByGroup(t))['timeline-merge'] ?? 0;
    await produceRaw(t.app.kafka.brokers, t.topic('follows'), [{ key: followerId, value: JSON.stringify(event) }]);
    await consumed(t, { 'timeline-merge': before + 1 });
  }

  it('a stale follow.created for a pair that unfollowed merges nothing', async () => {
    const reader = await signUp(t, 'reader');
    const author = await signUp(t, 'author');
    const id = await postTweet(t, author, 'not for you any more');
    await consumed(t, { 'tweet-store': 1 });
    await deliverLate(makeEvent<FollowEvent>('follow.created', { followerId: reader.id, followeeId: author.id }), reader.id);
    expect((await homeTimeline(t, reader)).edges.map((e) => e.node.id)).not.toContain(id);
  });

  it('a stale follow.removed for a pair that follows again takes nothing out', async () => {
    const reader = await signUp(t, 'reader');
    const author = await signUp(t, 'author');
    await follow(t, reader, author.handle);
    const id = await postTweet(t, author, 'still for you');
    await eventually(() => homeTimeline(t, reader), (p) => p.edges.some((e) => e.node.id === id), { what: 'fanned out' });
    await deliverLate(makeEvent<FollowEvent>('follow.removed', { followerId: reader.id, followeeId: author.id }), reader.id);
    expect((await homeTimeline(t, reader)).edges.map((e) => e.node.id)).toContain(id);
  });
});
