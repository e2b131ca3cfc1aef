import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNaming } from '../src/adapters/kafka/topics.js';
import { listDeadLetters } from '../src/cli/dead-letters.js';
import { GROUP_BINDINGS } from '../src/consumers/index.js';
import { produceRaw } from './harness/kafka.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';

/** Every consumer group survives messages that fail validation: each lands in that group's dead-letter topic and the group goes on. */
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
    const garbage = [
      { key: alice.id, value: 'not json at all' },
      { key: alice.id, value: '{"v":1,"type":"tweet.created","id":"x","producedAt":1,"data":{}}' },
      { key: alice.id, value: '{"v":99,"type":"tweet.created"}' },
      { key: null, value: null },
    ];
    // Every topic some group reads, so every group meets the garbage.
    for (const topic of new Set(GROUP_BINDINGS.map((b) => b.topic))) await produceRaw(t.app.kafka.brokers, t.topic(topic), garbage);

    await follow(t, bob, alice.handle);
    const id = await postTweet(t, alice, 'after the garbage');
    const page = await eventually(() => homeTimeline(t, bob), (p) => p.edges.length === 1, { what: 'tweet after garbage' });
    expect(page.edges[0]!.node.id).toBe(id);

    // Each group put each poison message in its own dead-letter topic, with the reason.
    const naming = topicNaming(t.config.kafka.namespace);
    for (const binding of GROUP_BINDINGS) {
      const letters = await eventually(
        () => listDeadLetters(t.app.kafka, naming, binding),
        (l) => l.length === garbage.length,
        { what: `${binding.group} dead letters` },
      );
      expect(letters.every((l) => l.error.startsWith('undecodable:') && l.attempt === '1'), binding.group).toBe(true);
    }
  });
});
