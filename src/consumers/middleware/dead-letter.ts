import type { KafkaPublisher } from '../../adapters/kafka/publisher.js';
import { isRetriable } from '../../domain/errors.js';
import { HEADERS, originHeaders } from '../failure-policy.js';
import { ConsumerStoppingError, decodedOf, type Middleware } from './types.js';

/**
 * Sends to the group's dead-letter topic what the group gives up on, with the reason, and goes on
 * with the next message: a message that cannot be read, and any failure the retry middleware
 * inside it let through (retrying cannot help, or the last attempt failed). The copy keeps the
 * value, key and headers, adds where it came from, the attempt and the error, so `dlq list`
 * shows it and `dlq redrive` can send it back.
 */
export function deadLetter(options: { publisher: KafkaPublisher; topic: string }): Middleware {
  return (next) => async (incoming) => {
    const decoded = decodedOf(incoming);
    const send = async (reason: string) => {
      await options.publisher.sendRaw(options.topic, {
        key: incoming.message.key,
        value: incoming.message.value,
        headers: {
          ...incoming.message.headers,
          ...originHeaders(incoming.message),
          [HEADERS.attempt]: String(decoded.attempt),
          [HEADERS.error]: reason.slice(0, 2000),
          [HEADERS.failedAt]: new Date().toISOString(),
        },
      });
      incoming.log.error({ attempt: decoded.attempt, reason }, 'message dead-lettered');
      return { kind: 'dead-lettered' as const, reason };
    };
    if (!decoded.ok) return send(decoded.reason);
    try {
      return await next(incoming);
    } catch (err) {
      if (err instanceof ConsumerStoppingError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      return send(isRetriable(err) ? `failed ${decoded.attempt} attempts: ${message}` : `not retriable: ${message}`);
    }
  };
}
