import type { Metrics } from '../../observability/metrics.js';
import type { Middleware } from './types.js';

/**
 * Counts every message's outcome (processed, retried, dead-lettered), each failed attempt, and the
 * end-to-end latency of processed messages from their producer's timestamp; logs each at debug
 * with its duration (per-message lines stay out of an info-level log).
 */
export function measure(metrics: Metrics['consumers']): Middleware {
  return (next) => async (incoming) => {
    const labels = { group: incoming.group };
    const started = performance.now();
    try {
      const outcome = await next(incoming);
      if (outcome.kind === 'handled') {
        metrics.processed.inc(labels);
        const producedAt = incoming.decoded?.ok ? producedAtOf(incoming.decoded.event) : null;
        if (producedAt !== null) metrics.latencySeconds.observe(labels, Math.max(0, Date.now() - producedAt) / 1000);
      } else if (outcome.kind === 'retry-scheduled') metrics.retried.inc(labels);
      else if (outcome.kind === 'dead-lettered') metrics.deadLettered.inc(labels);
      incoming.log.debug({ outcome: outcome.kind, ms: Math.round(performance.now() - started) }, 'message done');
      return outcome;
    } finally {
      if (incoming.failures > 0) metrics.failed.inc(labels, incoming.failures);
    }
  };
}

function producedAtOf(event: unknown): number | null {
  const at = (event as { producedAt?: unknown } | null)?.producedAt;
  return typeof at === 'number' ? at : null;
}
