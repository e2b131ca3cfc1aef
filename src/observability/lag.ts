import type { KafkaAdmin } from '../adapters/kafka/admin.js';
import type { GroupBinding, TopicNaming } from '../adapters/kafka/topics.js';

export interface LagRow {
  /** Physical consumer group id. */
  group: string;
  topic: string;
  partition: number;
  /** Committed offset, or -1 if the group has committed nothing on this partition yet. */
  committed: number;
  /** Log end offset (high watermark). */
  end: number;
  /** Messages not yet processed: end - committed (all of them when nothing was committed). */
  lag: number;
}

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

/** A fixed-width table for the `lag` command. */
export function formatLagTable(rows: readonly LagRow[]): string {
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'];
  const lines = rows.map((r) => [r.group, r.topic, String(r.partition), String(r.committed), String(r.end), String(r.lag)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const total = rows.reduce((sum, r) => sum + r.lag, 0);
  return [fmt(header), ...lines.map(fmt), '', `total lag: ${total}`].join('\n');
}
