import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';

/** Every consumer group survives messages that fail validation, and goes on with the next ones. */
describe('consumers skip bad messages and keep consuming', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { KAFKA_PARTITIONS: '1' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('processes valid tweets and follows that come after garbage on the same partition', async () => {
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    const producer = t.app.kafka.producer();
    await producer.connect();
    const garbage = [
      { key: alice.id, value: 'not json at all' },
      { key: alice.id, value: '{"v":1,"type":"tweet.created","id":"x","producedAt":1,"data":{}}' },
      { key: alice.id, value: '{"v":99,"type":"tweet.created"}' },
      { key: null, value: null },
    ];
    await producer.send({ topic: t.topic('tweets'), messages: garbage });
    await producer.send({ topic: t.topic('follows'), messages: garbage });
    await producer.disconnect();

    await follow(t, bob, alice.handle);
    const id = await postTweet(t, alice, 'after the garbage');
    const page = await eventually(() => homeTimeline(t, bob), (p) => p.edges.length === 1, { what: 'tweet after garbage' });
    expect(page.edges[0]!.node.id).toBe(id);
  });
});
