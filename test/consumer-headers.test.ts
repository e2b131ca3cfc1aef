import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNaming } from '../src/adapters/kafka/topics.js';
import { listDeadLetters } from '../src/cli/dead-letters.js';
import { makeEvent, type ClickEvent, type TweetEvent } from '../src/domain/events.js';
import { produceRaw } from './harness/kafka.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { postTweet, signUp } from './harness/users.js';

const TWEET = 'query($id: ID!) { tweet(id: $id) { id } }';
const tweetEvent = (id: string, authorId: string) =>
  makeEvent<TweetEvent>('tweet.created', { tweet: { id, authorId, text: 'via a retry topic', createdAt: new Date().toISOString() } });

/**
 * Headers are input like any other: retry copies with unreadable or absurd headers are
 * dead-lettered and the group goes on; a retry that is not due pauses only its partition; a group
 * that stops makes the process unready and shows in a metric. One partition per topic, so any
 * blocked message would block everything behind it.
 */
describe('consumers and hostile message headers', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { KAFKA_PARTITIONS: '1' } });
    base = t.opsUrl;
  });
  afterAll(async () => {
    await t?.stop();
  });
  const naming = () => topicNaming(t.config.kafka.namespace);
  const ready = async () => (await fetch(`${base}/readyz`)).status;

  it('dead-letters a retry copy with a malformed x-attempt; the taste group keeps consuming and the process stays ready', async () => {
    const alice = await signUp(t, 'alice');
    const click = makeEvent<ClickEvent>('click.recorded', { userId: alice.id, tweetId: '12345', clickedAt: Date.now() });
    await produceRaw(t.app.kafka.brokers, naming().retryTopic('clicks', 'taste'), [
      { key: alice.id, value: JSON.stringify(click), headers: { 'x-attempt': 'abc', 'x-not-before': '0' } },
    ]);
    const letters = await eventually(
      () => listDeadLetters(t.app.kafka, naming(), { group: 'taste', topic: 'clicks' }),
      (l) => l.length === 1,
      { what: 'the malformed retry copy dead-lettered' },
    );
    expect(letters[0]!.error).toMatch(/^unreadable header: x-attempt "abc"/);
    // Still consuming: the next message on the same retry partition is handled.
    await produceRaw(t.app.kafka.brokers, naming().retryTopic('clicks', 'taste'), [
      { key: alice.id, value: 'not json', headers: { 'x-attempt': '2', 'x-not-before': '0' } },
    ]);
    await eventually(
      () => listDeadLetters(t.app.kafka, naming(), { group: 'taste', topic: 'clicks' }),
      (l) => l.length === 2,
      { what: 'the group handled what came after' },
    );
    expect(await ready()).toBe(200);
  });

  it('dead-letters a far-future x-not-before instead of waiting for it; tweet-store goes on storing', async () => {
    const bob = await signUp(t, 'bob');
    const parked = tweetEvent('900000000000000001', bob.id);
    await produceRaw(t.app.kafka.brokers, naming().retryTopic('tweets', 'tweet-store'), [
      { key: bob.id, value: JSON.stringify(parked), headers: { 'x-attempt': '2', 'x-not-before': String(Date.now() + 365 * 24 * 3600 * 1000) } },
    ]);
    const letters = await eventually(
      () => listDeadLetters(t.app.kafka, naming(), { group: 'tweet-store', topic: 'tweets' }),
      (l) => l.some((d) => d.value.includes(parked.id)),
      { what: 'far-future retry dead-lettered' },
    );
    expect(letters.find((d) => d.value.includes(parked.id))!.error).toMatch(/x-not-before is \d+ s after the message was written/);
    const id = await postTweet(t, bob, 'stored while a retry waited');
    await eventually(() => t.gql<{ tweet: { id: string } | null }>(TWEET, { id }), (r) => r.data?.tweet?.id === id, { what: 'stored' });
  });

  it('pauses only the retry partition until a retry is due, then handles it', async () => {
    const carol = await signUp(t, 'carol');
    const soonId = '900000000000000002';
    const soon = tweetEvent(soonId, carol.id);
    const due = Date.now() + 4_000;
    await produceRaw(t.app.kafka.brokers, naming().retryTopic('tweets', 'tweet-store'), [
      { key: carol.id, value: JSON.stringify(soon), headers: { 'x-attempt': '2', 'x-not-before': String(due) } },
    ]);
    // The main topic is not held up meanwhile.
    const id = await postTweet(t, carol, 'not held up by a paused retry');
    await eventually(() => t.gql<{ tweet: { id: string } | null }>(TWEET, { id }), (r) => r.data?.tweet?.id === id, { what: 'main topic stored' });
    const stored = await eventually(() => t.gql<{ tweet: { id: string } | null }>(TWEET, { id: soonId }), (r) => r.data?.tweet !== null, {
      what: 'the retry, once due',
      timeoutMs: 30_000,
    });
    expect(stored.data?.tweet?.id).toBe(soonId);
    expect(Date.now()).toBeGreaterThanOrEqual(due);
  });

  it('fails readiness and raises a metric when a consumer group of the process stops', async () => {
    await eventually(ready, (s) => s === 200, { what: 'ready' });
    await t.app.consumers.find((c) => c.group === 'moderator')!.stop();
    const body = await eventually(
      async () => {
        const res = await fetch(`${base}/readyz`);
        return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
      },
      (r) => r.status === 503,
      { what: 'unready' },
    );
    expect(body.body.checks.consumers).toMatch(/consumer groups down: moderator \(stopped\)/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/timeline_consumer_groups_down 1/);
    expect(metrics).toMatch(/timeline_consumer_up\{group="moderator"\} 0/);
    expect(metrics).toMatch(/timeline_consumer_up\{group="taste"\} 1/);
  });
});
