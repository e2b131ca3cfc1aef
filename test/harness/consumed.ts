import type { TestApp } from './test-app.js';
import { eventually } from './poll.js';

/** Messages each consumer group of the app has handled successfully so far. */
export async function processedByGroup(t: TestApp): Promise<Record<string, number>> {
  const metric = await t.app.metrics.consumers.processed.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.group), v.value]));
}

/**
 * Waits until each named group has handled at least that many messages since the app started, so
 * a test that measures Redis afterwards sees no consumer still at work.
 */
export async function consumed(t: TestApp, counts: Record<string, number>): Promise<void> {
  await eventually(
    () => processedByGroup(t),
    (seen) => Object.entries(counts).every(([group, n]) => (seen[group] ?? 0) >= n),
    { what: `consumers to handle ${JSON.stringify(counts)}` },
  );
}
