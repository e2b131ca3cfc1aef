import type { z } from 'zod';
import { HEADERS } from '../failure-policy.js';
import type { Decoded, Middleware } from './types.js';

/** How far ahead of its own timestamp a retry may ask to wait: the retry policy's longest delay, and some slack for clocks. */
export interface DecodeOptions {
  schema: z.ZodType<unknown>;
  /** Retry headers are read only on the group's retry topic; elsewhere a message is a first attempt. */
  retryTopic: string | null;
  maxNotBeforeAheadMs: number;
}

/**
 * The outermost middleware: reads a message as input, never throws. Headers are client input like
 * the value: `x-attempt` must be a whole number ≥ 1, `x-not-before` a time no further ahead of
 * the message's timestamp than the retry policy ever waits; the value must be JSON that passes the
 * consumer's schema. What cannot be read is marked, and the dead-letter middleware sends it on.
 */
export function decode(options: DecodeOptions): Middleware {
  return (next) => (incoming) => next({ ...incoming, decoded: decodeMessage(incoming.message, options) });
}

export function decodeMessage(
  message: { topic: string; value: Buffer | null; timestamp: number; headers: Readonly<Record<string, string>> },
  options: DecodeOptions,
): Decoded {
  const headers: RetryHeaders =
    message.topic === options.retryTopic
      ? readRetryHeaders(message.headers, message.timestamp, options.maxNotBeforeAheadMs)
      : { ok: true, attempt: 1, notBefore: null };
  if (!headers.ok) return { ok: false, reason: `unreadable header: ${headers.reason}`, attempt: 1 };
  const body = decodeValue(options.schema, message.value);
  if (!body.ok) return { ok: false, reason: `undecodable: ${body.reason}`, attempt: headers.attempt };
  return { ok: true, event: body.event, attempt: headers.attempt, notBefore: headers.notBefore };
}

type RetryHeaders = { ok: true; attempt: number; notBefore: number | null } | { ok: false; reason: string };

const WHOLE = /^[0-9]{1,15}$/;

function readRetryHeaders(headers: Readonly<Record<string, string>>, timestamp: number, maxAheadMs: number): RetryHeaders {
  const rawAttempt = headers[HEADERS.attempt];
  const rawNotBefore = headers[HEADERS.notBefore];
  let attempt = 1;
  if (rawAttempt !== undefined) {
    if (!WHOLE.test(rawAttempt) || Number(rawAttempt) < 1) return { ok: false, reason: `${HEADERS.attempt} "${clip(rawAttempt)}" is not a whole number from 1` };
    attempt = Number(rawAttempt);
  }
  if (rawNotBefore === undefined) return { ok: true, attempt, notBefore: null };
  if (!WHOLE.test(rawNotBefore)) return { ok: false, reason: `${HEADERS.notBefore} "${clip(rawNotBefore)}" is not a time in ms` };
  const notBefore = Number(rawNotBefore);
  if (Number.isFinite(timestamp) && notBefore > timestamp + maxAheadMs) {
    return { ok: false, reason: `${HEADERS.notBefore} is ${Math.round((notBefore - timestamp) / 1000)} s after the message was written, more than any retry waits` };
  }
  return { ok: true, attempt, notBefore };
}

/** JSON-parses and schema-checks a message value. Never throws. */
export function decodeValue<E>(schema: z.ZodType<E>, value: Buffer | null): { ok: true; event: E } | { ok: false; reason: string } {
  if (value === null) return { ok: false, reason: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, event: parsed.data };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
