import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaAdmin } from '../src/adapters/kafka/admin.js';
import { KafkaConnection } from '../src/adapters/kafka/connection.js';
import { createKafkaPublisher, type KafkaPublisher } from '../src/adapters/kafka/publisher.js';
import { topicNaming, type TopicNaming } from '../src/adapters/kafka/topics.js';
import { listDeadLetters, redriveDeadLetters } from '../src/cli/dead-letters.js';
import { defineConsumer } from '../src/consumers/definition.js';
import { runLiveConsumer } from '../src/consumers/live.js';
import type { RunningConsumer } from '../src/consumers/router.js';
import { PermanentError } from '../src/domain/errors.js';
import { makeEvent, TweetEvent } from '../src/domain/events.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { produceRaw } from './harness/kafka.js';
import { eventually } from './harness/poll.js';

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const tweetEvent = (text: string) =>
  makeEvent<TweetEvent>('tweet.created', { tweet: { id: String(1000n + BigInt(Math.floor(Math.random() * 1e9))), authorId: '7', text, createdAt: new Date().toISOString() } });

/**
 * The shared runner on the real broker: per-group retry topics with backoff, dead letters with the
 * error, re-drive, and poison messages — with test handlers, since the behaviour is the runner's.
 */
describe('consumer runner: retries and dead letters', () => {
  const kafka = KafkaConnection.create({ brokers: inject('kafkaBrokers'), clientId: 'runner-test', logger });
  let naming: TopicNaming;
  let publisher: KafkaPublisher;
  const running: RunningConsumer[] = [];
  const metrics = createMetrics();
  const policy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 };
  const attempts = new Map<string, number>();
  const handledBy = { flaky: [] as string[], bystander: [] as string[] };
  let poisonFixed = false;

  beforeAll(async () => {
    naming = topicNaming(`r${randomBytes(4).toString('hex')}.`);
    const admin = createKafkaAdmin(kafka);
    await admin.connect();
    const groups = [{ group: 'flaky', topic: 'tweets' as const }, { group: 'bystander', topic: 'tweets' as const }];
    await admin.ensureTopics(naming, 2, logger, groups);
    await admin.disconnect();
    publisher = createKafkaPublisher(kafka, naming);
    await publisher.connect();

    const flaky = defineConsumer<TweetEvent>({
      group: 'flaky',
      topic: 'tweets',
      schema: TweetEvent,
      async handle(event) {
        const text = event.type === 'tweet.created' ? event.data.tweet.text : '';
        const n = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, n);
        if (text === 'fails twice' && n <= 2) throw new Error(`transient failure ${n}`);
        if (text === 'always fails' && !poisonFixed) throw new Error('handler bug');
        if (text === 'bad data') throw new PermanentError('cannot process this payload');
        handledBy.flaky.push(event.id);
      },
    });
    const bystander = defineConsumer<TweetEvent>({
      group: 'bystander',
      topic: 'tweets',
      schema: TweetEvent,
      handle: async (event) => void handledBy.bystander.push(event.id),
    });
    for (const d of [flaky, bystander] as const) {
      running.push(await runLiveConsumer(d as never, { kafka, naming, publisher, logger, metrics: metrics.consumers, retry: policy, inPlaceAttempts: 1 }));
    }
  });
  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await publisher?.disconnect();
  });

  const count = async (name: 'retried' | 'deadLettered' | 'processed', group: string) =>
    (await metrics.consumers[name].get()).values.find((v) => v.labels.group === group)?.value ?? 0;

  it('retries a failing message on the group’s own retry topic until it succeeds; other groups see it once', async () => {
    const event = tweetEvent('fails twice');
    await publisher.publish('tweets', 'k1', event);
    await eventually(async () => handledBy.flaky, (ids) => ids.includes(event.id), { what: 'handled after retries' });
    expect(attempts.get(event.id)).toBe(3);
    expect(await count('retried', 'flaky')).toBeGreaterThanOrEqual(2);
    await eventually(async () => handledBy.bystander, (ids) => ids.includes(event.id), { what: 'bystander' });
    expect(handledBy.bystander.filter((id) => id === event.id)).toHaveLength(1);
    expect(await count('retried', 'bystander')).toBe(0);
  });

  it('dead-letters after the last attempt with the error, lists it, and re-drives it once fixed', async () => {
    const event = tweetEvent('always fails');
    await publisher.publish('tweets', 'k2', event);
    const letters = await eventually(
      () => listDeadLetters(kafka, naming, { group: 'flaky', topic: 'tweets' }),
      (l) => l.some((d) => d.value.includes(event.id)),
      { what: 'dead letter', timeoutMs: 30_000 },
    );
    const letter = letters.find((d) => d.value.includes(event.id))!;
    expect(letter.attempt).toBe('3');
    expect(letter.error).toMatch(/failed 3 attempts: handler bug/);
    expect(letter.origin).toMatch(/tweets\/\d@\d+$/);
    expect(attempts.get(event.id)).toBe(3);

    poisonFixed = true;
    expect(await redriveDeadLetters(kafka, naming, publisher, { group: 'flaky', topic: 'tweets' })).toBeGreaterThanOrEqual(1);
    await eventually(async () => handledBy.flaky, (ids) => ids.includes(event.id), { what: 're-driven message handled' });
    expect(await redriveDeadLetters(kafka, naming, publisher, { group: 'flaky', topic: 'tweets' })).toBe(0);
  });

  it('sends undecodable and non-retriable messages straight to the dead-letter topic and keeps consuming', async () => {
    await produceRaw(kafka.brokers, naming.topic('tweets'), [{ key: 'k3', value: '{"not":"an event"}' }]);
    const bad = tweetEvent('bad data');
    await publisher.publish('tweets', 'k3', bad);
    const after = tweetEvent('fine');
    await publisher.publish('tweets', 'k3', after);

    await eventually(async () => handledBy.flaky, (ids) => ids.includes(after.id), { what: 'message after the poison' });
    const letters = await eventually(
      () => listDeadLetters(kafka, naming, { group: 'flaky', topic: 'tweets' }),
      (l) => l.some((d) => d.error.startsWith('undecodable')) && l.some((d) => d.value.includes(bad.id)),
      { what: 'poison dead letters' },
    );
    expect(letters.find((d) => d.value.includes(bad.id))!.error).toBe('not retriable: cannot process this payload');
    expect(attempts.get(bad.id)).toBe(1);
  });
});
