import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';

/** /healthz, /readyz and /metrics as an operator sees them: on the ops port (OPS_PORT); health on the API port too. */
describe('operations endpoints', () => {
  let t: TestApp;
  let base: string;
  let api: string;
  beforeAll(async () => {
    t = await startTestApp();
    base = t.opsUrl;
    api = t.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reports alive and ready once Kafka, Redis and every consumer group are', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await eventually(
      async () => (await fetch(`${base}/readyz`)).json() as Promise<{ status: string; checks: Record<string, string> }>,
      (r) => r.status === 'ready',
      { what: 'ready' },
    );
    expect(ready.checks).toEqual({ redis: 'ok', kafka: 'ok', consumers: 'ok' });
    // Load balancers probe the port they send traffic to.
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect((await fetch(`${api}/readyz`)).status).toBe(200);
  });

  it('exports lag per group, topic and partition, end-to-end latency per group, and HTTP/GraphQL metrics', async () => {
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    await follow(t, bob, alice.handle);
    await postTweet(t, alice, 'measured');
    await eventually(() => homeTimeline(t, bob), (p) => p.edges.length === 1, { what: 'fan-out' });

    const text = await eventually(
      async () => (await fetch(`${base}/metrics`)).text(),
      (m) => /timeline_consumer_messages_processed_total\{group="fanout"\} [1-9]/.test(m),
      { what: 'processed counter' },
    );
    const ns = t.config.kafka.namespace.replace(/\./g, '\\.');
    expect(text).toMatch(new RegExp(`kafka_consumergroup_lag\\{consumergroup="${ns}fanout",topic="${ns}tweets",partition="0"\\} \\d+`));
    expect(text).toMatch(new RegExp(`kafka_consumergroup_lag\\{consumergroup="${ns}fanout",topic="${ns}tweets\\.fanout\\.retry",partition="0"\\} 0`));
    expect(text).toMatch(/timeline_consumer_end_to_end_latency_seconds_bucket\{le="[^"]+",group="fanout"\} [1-9]/);
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="200"\} [1-9]/);
    expect(text).toMatch(/graphql_operations_total\{operation="anonymous",type="mutation",outcome="ok"\} [1-9]/);
  });
});
