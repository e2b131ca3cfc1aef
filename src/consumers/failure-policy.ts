/**
 * What happens to a message whose handler failed: another attempt later on the group's retry topic,
 * or the group's dead-letter topic. Pure, so the schedule is unit-tested and shared by every group.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the message is dead-lettered. */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export type FailurePlan =
  | { kind: 'retry'; attempt: number; notBefore: number }
  | { kind: 'dead-letter'; reason: string };

/** An error that says whether trying again can help (bad payloads cannot; outages can). */
export function isRetriable(err: unknown): boolean {
  const flag = (err as { retriable?: unknown } | null)?.retriable;
  return flag !== false;
}

/**
 * @param failedAttempt the attempt that just failed, 1 for the first delivery.
 */
export function planFailure(failedAttempt: number, err: unknown, policy: RetryPolicy, now: number): FailurePlan {
  const message = err instanceof Error ? err.message : String(err);
  if (!isRetriable(err)) return { kind: 'dead-letter', reason: `not retriable: ${message}` };
  if (failedAttempt >= policy.maxAttempts) return { kind: 'dead-letter', reason: `failed ${failedAttempt} attempts: ${message}` };
  const delay = Math.min(policy.baseDelayMs * 2 ** (failedAttempt - 1), policy.maxDelayMs);
  return { kind: 'retry', attempt: failedAttempt + 1, notBefore: now + delay };
}

/** Header names carried by retried and dead-lettered messages. */
export const HEADERS = {
  attempt: 'x-attempt',
  notBefore: 'x-not-before',
  error: 'x-error',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  failedAt: 'x-failed-at',
} as const;

/**
 * Log fields for a failed attempt: an expected "not yet" (RetryLaterError) is one short line, an
 * unexpected failure carries the whole error with its stack.
 */
export function failureLogFields(err: unknown): { level: 'info' | 'warn'; fields: Record<string, unknown> } {
  if (err instanceof Error && err.name === 'RetryLaterError') return { level: 'info', fields: { reason: err.message } };
  return { level: 'warn', fields: { err } };
}
