import type { LagRow } from '../../observability/lag.js';
import type { KafkaAdmin } from './admin.js';
import type { GroupBinding, TopicNaming } from './topics.js';

/**
 * Lag of each group on its topic and its retry topic, partition by partition — what
 * kafka_exporter's `kafka_consumergroup_lag` reports. Two admin calls per topic and group.
 */
export async function measureLag(admin: Pick<KafkaAdmin, 'topicOffsets' | 'committedOffsets'>, naming: TopicNaming, bindings: readonly GroupBinding[]): Promise<LagRow[]> {
  const rows: LagRow[] = [];
  const ends = new Map<string, Map<number, number>>();
  const endsOf = async (topic: string) => {
    let byPartition = ends.get(topic);
    if (!byPartition) {
      byPartition = new Map((await admin.topicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
      ends.set(topic, byPartition);
    }
    return byPartition;
  };
  for (const binding of bindings) {
    const group = naming.group(binding.group);
    const topics = [naming.topic(binding.topic), naming.retryTopic(binding.topic, binding.group)];
    const committed = await admin.committedOffsets(group, topics);
    for (const topic of topics) {
      const partitions = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const [partition, end] of await endsOf(topic)) {
        const at = Number(partitions.find((p) => p.partition === partition)?.offset ?? -1);
        rows.push({ group, topic, partition, committed: at, end, lag: Math.max(0, end - Math.max(at, 0)) });
      }
    }
  }
  return rows;
}
