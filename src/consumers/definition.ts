import type { z } from 'zod';
import type { OutgoingMessage, TopicName } from '../domain/events.js';
import type { Logger } from '../observability/logger.js';

/** What a handler may use besides the event: a logger bound to the message and a keep-alive. */
export interface HandlerContext {
  /** Carries topic, partition, offset, key and event id on every line. */
  log: Logger;
  /** Call between chunks of long work so the group does not evict this member. */
  heartbeat(): Promise<void>;
}

/**
 * Does the message's work and returns the messages it wants produced (Watermill's handler shape).
 * The runner produces them after the handler succeeds; handlers never hold a producer.
 * Must be idempotent: a message is redelivered after a crash or rebalance.
 */
export type Handler<E> = (event: E, ctx: HandlerContext) => Promise<readonly OutgoingMessage[] | void>;

/**
 * A consumer group, declared: its name is its Kafka group id (renaming it re-reads the topic from
 * the start — treat a rename as a migration), the topic it reads, the schema messages must pass,
 * and a handler. Handlers know nothing of Kafka; the runner acks, retries and logs.
 */
export interface ConsumerDefinition<E = unknown> {
  group: string;
  topic: TopicName;
  schema: z.ZodType<E>;
  handle: Handler<E>;
  /**
   * Partitions one member works on at once (default 1). Order within a partition, and so per key,
   * is kept either way; more only helps a group whose messages are independent work items.
   */
  partitionsAtOnce?: number;
}

/**
 * Partitions of `tweets` (and of the group's retry topic) one member of `fanout` or `tweet-store`
 * works on at once: as many as the topic has by default (KAFKA_PARTITIONS, 10). Tweets are keyed
 * by author, so each author's tweets are still handled in order.
 */
export const TWEETS_PARTITIONS_AT_ONCE = 10;

/** Keeps the event type of each definition while letting a list hold several. */
export function defineConsumer<E>(definition: ConsumerDefinition<E>): ConsumerDefinition<E> {
  return definition;
}
