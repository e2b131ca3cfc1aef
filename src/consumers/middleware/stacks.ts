import type { KafkaPublisher } from '../../adapters/kafka/publisher.js';
import type { TopicNaming } from '../../adapters/kafka/topics.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ConsumerDefinition } from '../definition.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../failure-policy.js';
import { deadLetter } from './dead-letter.js';
import { decode } from './decode.js';
import { measure } from './metrics.js';
import { produce } from './produce.js';
import { retryInPlace } from './retry-in-place.js';
import { retryTopic } from './retry-topic.js';
import type { Middleware } from './types.js';

export interface LiveStackDeps {
  naming: TopicNaming;
  publisher: KafkaPublisher;
  metrics: Metrics['consumers'];
  retry?: RetryPolicy;
  /** Quick attempts in place before a failure goes to the retry topic (rides out blips). */
  inPlaceAttempts?: number;
}

/** Clocks of producers and consumers may disagree this much about when a retry was written. */
const CLOCK_SLACK_MS = 60_000;

/**
 * The middleware every live consumer group runs, outermost first:
 * decode → metrics → dead-letter → retry topic → retry in place → produce → handler.
 */
export function liveStack(definition: Pick<ConsumerDefinition, 'group' | 'topic' | 'schema'>, deps: LiveStackDeps): Middleware[] {
  const policy = deps.retry ?? DEFAULT_RETRY_POLICY;
  const retry = deps.naming.retryTopic(definition.topic, definition.group);
  return [
    decode({ schema: definition.schema, retryTopic: retry, maxNotBeforeAheadMs: policy.maxDelayMs + CLOCK_SLACK_MS }),
    measure(deps.metrics),
    deadLetter({ publisher: deps.publisher, topic: deps.naming.deadLetterTopic(definition.topic, definition.group) }),
    retryTopic({ publisher: deps.publisher, topic: retry, policy }),
    retryInPlace({ initialDelayMs: 50, maxDelayMs: 500, maxAttempts: deps.inPlaceAttempts ?? 3 }),
    produce(deps.publisher),
  ];
}
