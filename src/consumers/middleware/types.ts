import type { DeliveryControls } from '../../adapters/kafka/subscriber.js';
import type { KafkaMessage } from '../../adapters/kafka/message.js';
import type { OutgoingMessage } from '../../domain/events.js';
import type { Logger } from '../../observability/logger.js';

/** What the decode middleware read from a message: the event and its retry headers, or why not. */
export type Decoded =
  | { ok: true; event: unknown; attempt: number; notBefore: number | null }
  | { ok: false; reason: string; attempt: number };

/** One message on its way through a consumer's middleware (Watermill's message with its context). */
export interface Incoming {
  readonly message: KafkaMessage;
  /** The consumer group (logical name) the message is handled for. */
  readonly group: string;
  /** Set by the decode middleware; every middleware inside it can rely on it. */
  readonly decoded?: Decoded;
  /** Bound to topic, partition, offset and key. */
  readonly log: Logger;
  readonly controls: DeliveryControls;
  /** True once the consumer began shutting down: work in hand stays uncommitted. */
  readonly isStopping: () => boolean;
  /** Failed handler attempts in this delivery; the metrics middleware counts them. */
  failures: number;
}

/** What became of a message. Only `handled` lets the subscriber commit it as processed. */
export type Outcome =
  | { kind: 'handled'; outgoing: readonly OutgoingMessage[] }
  | { kind: 'retry-scheduled'; attempt: number; notBefore: number }
  | { kind: 'dead-lettered'; reason: string }
  | { kind: 'paused'; until: number }
  /** Replay only: left out (undecodable, or retrying cannot help); the live group dead-lettered it too. */
  | { kind: 'skipped'; reason: string }
  /** Replay only: not ready yet, handed to the live group's retry topic. */
  | { kind: 'deferred'; reason: string };

export type Step = (incoming: Incoming) => Promise<Outcome>;

/** Wraps a step with one cross-cutting behaviour; composed once per consumer, never inside handlers. */
export type Middleware = (next: Step) => Step;

/** `compose([a, b, c])(step)` runs a, then b, then c around step: the first is outermost. */
export function compose(middlewares: readonly Middleware[]): Middleware {
  return (step) => middlewares.reduceRight<Step>((next, mw) => mw(next), step);
}

/** The decode middleware's result; a middleware placed outside decode has a wiring bug. */
export function decodedOf(incoming: Incoming): Decoded {
  if (!incoming.decoded) throw new Error('middleware order: this middleware must run inside decode');
  return incoming.decoded;
}

/** The decoded event, for steps that only ever see decodable messages (inside dead-letter). */
export function eventOf(incoming: Incoming): unknown {
  const decoded = decodedOf(incoming);
  if (!decoded.ok) throw new Error('middleware order: an undecodable message reached the handler');
  return decoded.event;
}

/** Thrown through the middleware when the consumer stops mid-message: the message stays uncommitted. */
export class ConsumerStoppingError extends Error {
  override name = 'ConsumerStoppingError';
}
