import { describe, expect, it } from 'vitest';
import { createWarmUpFilter, type KafkaLogEntry } from './warm-up-filter.js';

// What kafkajs 2.2.4 logged during `npm start`'s broker warm-up, field for field.
const coordinatorNotAvailable: KafkaLogEntry = {
  level: 'error',
  namespace: 'Connection',
  message: 'Response GroupCoordinator(key: 10, version: 2)',
  fields: { broker: '127.0.0.1:37489', error: 'The group coordinator is not available', correlationId: 3 },
};
const crash: KafkaLogEntry = {
  level: 'error',
  namespace: 'Consumer',
  message: "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group",
  fields: { groupId: 'tweet-store', stack: 'KafkaJSProtocolError: …' },
};
const restart: KafkaLogEntry = {
  level: 'error',
  namespace: 'Consumer',
  message: 'Restarting the consumer in 100ms',
  fields: { groupId: 'tweet-store', retryTime: 100 },
};
const notLeader: KafkaLogEntry = {
  level: 'error',
  namespace: 'Connection',
  message: 'Response ListOffsets(key: 2, version: 4)',
  fields: { error: 'This server is not the leader for that topic-partition' },
};
const connectionRefused: KafkaLogEntry = {
  level: 'error',
  namespace: 'Connection',
  message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
  fields: { broker: '127.0.0.1:9092' },
};

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('the kafkajs warm-up filter', () => {
  it('announces a warm-up once and sends its errors, crash and restart to debug', () => {
    const c = clock();
    const decide = createWarmUpFilter({ now: c.now });
    const first = decide(coordinatorNotAvailable);
    expect(first.level).toBe('debug');
    expect(first.announce?.level).toBe('info');
    expect(first.announce?.message).toMatch(/warming up/);
    c.advance(200);
    for (const entry of [coordinatorNotAvailable, crash, restart, notLeader]) expect(decide(entry)).toEqual({ level: 'debug' });
  });

  it('keeps errors that are not warm-up at their level, in the middle of an episode too', () => {
    const decide = createWarmUpFilter({ now: clock().now });
    decide(coordinatorNotAvailable);
    expect(decide(connectionRefused)).toEqual({ level: 'error' });
    // A restart after a crash that was not quieted is not quieted either.
    expect(decide({ ...restart, fields: { groupId: 'fanout' } })).toEqual({ level: 'error' });
  });

  it('shows the entries at their own level, after one warning, once an episode persists', () => {
    const c = clock();
    const decide = createWarmUpFilter({ now: c.now, persistAfterMs: 30_000 });
    decide(coordinatorNotAvailable);
    for (let i = 0; i < 29; i++) {
      c.advance(1_000);
      expect(decide(coordinatorNotAvailable).level).toBe('debug');
    }
    c.advance(1_000);
    const persisted = decide(coordinatorNotAvailable);
    expect(persisted.level).toBe('error');
    expect(persisted.announce).toEqual({ level: 'warn', message: 'Kafka is still not ready after 30 s: showing its retries' });
    c.advance(1_000);
    expect(decide(crash)).toEqual({ level: 'error' });
  });

  it('announces a new episode after a quiet gap, e.g. leaders moving long after the start', () => {
    const c = clock();
    const decide = createWarmUpFilter({ now: c.now, endAfterMs: 30_000 });
    decide(coordinatorNotAvailable);
    c.advance(60_000);
    const again = decide(notLeader);
    expect(again.level).toBe('debug');
    expect(again.announce?.level).toBe('info');
  });

  it('never warns about the bounded retries of the idempotent producer, which are chosen', () => {
    const decide = createWarmUpFilter({ now: clock().now });
    expect(
      decide({ level: 'warn', namespace: 'Producer', message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees', fields: {} }),
    ).toEqual({ level: 'debug' });
  });

  it('passes ordinary warnings and info through untouched', () => {
    const decide = createWarmUpFilter({ now: clock().now });
    expect(decide({ level: 'warn', namespace: 'Consumer', message: 'The group is rebalancing, re-joining', fields: { groupId: 'g' } })).toEqual({ level: 'warn' });
  });
});
