import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../observability/metrics.js';
import { measure } from './metrics.js';
import { incoming, ok } from './test-support.js';
import type { Outcome } from './types.js';

const value = async (m: ReturnType<typeof createMetrics>, name: 'processed' | 'retried' | 'deadLettered' | 'failed') =>
  (await m.consumers[name].get()).values.find((v) => v.labels.group === 'g')?.value ?? 0;

describe('metrics middleware', () => {
  it('counts each outcome, failed attempts, and the latency of processed messages', async () => {
    const metrics = createMetrics();
    const run = (outcome: Outcome, failures = 0) =>
      measure(metrics.consumers)(async (i) => {
        i.failures += failures;
        return outcome;
      })(incoming({ decoded: ok({ producedAt: Date.now() - 50 }) }).value);
    await run({ kind: 'handled', outgoing: [] });
    await run({ kind: 'handled', outgoing: [] }, 2);
    await run({ kind: 'retry-scheduled', attempt: 2, notBefore: 0 }, 3);
    await run({ kind: 'dead-lettered', reason: 'x' });
    await run({ kind: 'paused', until: 0 });
    expect(await value(metrics, 'processed')).toBe(2);
    expect(await value(metrics, 'retried')).toBe(1);
    expect(await value(metrics, 'deadLettered')).toBe(1);
    expect(await value(metrics, 'failed')).toBe(5);
    const latency = (await metrics.consumers.latencySeconds.get()).values.find((v) => v.metricName?.endsWith('_count'));
    expect(latency?.value).toBe(2);
  });
});
