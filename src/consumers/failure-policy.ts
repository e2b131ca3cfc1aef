import type { KafkaMessage } from '../adapters/kafka/message.js';
import { isRetriable, RetryLaterError } from '../domain/errors.js';

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
  if (err instanceof RetryLaterError) return { level: 'info', fields: { reason: err.message } };
  return { level: 'warn', fields: { err } };
}

/**
 * Where a copy of `message` came from, for its retry or dead-letter copy: the original topic,
 * partition and offset, kept as they were when the message is itself a copy.
 */
export function originHeaders(message: Pick<KafkaMessage, 'topic' | 'partition' | 'offset' | 'headers'>): Record<string, string> {
  return {
    [HEADERS.originalTopic]: message.headers[HEADERS.originalTopic] ?? message.topic,
    [HEADERS.originalPartition]: message.headers[HEADERS.originalPartition] ?? String(message.partition),
    [HEADERS.originalOffset]: message.headers[HEADERS.originalOffset] ?? message.offset,
  };
}
