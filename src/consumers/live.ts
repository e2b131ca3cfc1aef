import type { KafkaConnection } from '../adapters/kafka/connection.js';
import { groupSubscriber } from '../adapters/kafka/group-subscriber.js';
import type { Logger } from '../observability/logger.js';
import type { ConsumerDefinition } from './definition.js';
import { liveStack, type LiveStackDeps } from './middleware/stacks.js';
import { runConsumer, type RunningConsumer } from './router.js';

/**
 * Runs a definition as its live consumer group: the group (its name, with the namespace) reads
 * its topic and its own retry topic through the live middleware (liveStack).
 */
export function runLiveConsumer<E>(
  definition: ConsumerDefinition<E>,
  deps: LiveStackDeps & { kafka: KafkaConnection; logger: Logger },
): Promise<RunningConsumer> {
  const { naming } = deps;
  const subscriber = groupSubscriber(deps.kafka, {
    group: naming.group(definition.group),
    topics: [naming.topic(definition.topic), naming.retryTopic(definition.topic, definition.group)],
    partitionsAtOnce: definition.partitionsAtOnce,
  });
  return runConsumer(definition, subscriber, liveStack(definition as ConsumerDefinition<unknown>, deps), deps.logger);
}
