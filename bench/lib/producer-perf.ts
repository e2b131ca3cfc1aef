import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProducerPerfResult {
  records: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  summary: string;
}

/**
 * Runs Kafka's own `kafka-producer-perf-test` (org.apache.kafka.tools.ProducerPerformance, from
 * the broker's jars) and parses its final summary line: the broker's ceiling for this record size.
 */
export async function producerPerformance(o: {
  libDir: string;
  brokers: string[];
  topic: string;
  records: number;
  recordSize: number;
  producerProps?: Record<string, string>;
}): Promise<ProducerPerfResult> {
  const props = { 'bootstrap.servers': o.brokers.join(','), acks: 'all', ...o.producerProps };
  const args = [
    '-Xmx512m', '-cp', join(o.libDir, '*'), 'org.apache.kafka.tools.ProducerPerformance',
    '--topic', o.topic, '--num-records', String(o.records), '--record-size', String(o.recordSize), '--throughput', '-1',
    '--producer-props', ...Object.entries(props).map(([k, v]) => `${k}=${v}`),
  ];
  const { stdout } = await run('java', args, { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  // "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, P ms 50th, P ms 95th, P ms 99th, P ms 99.9th."
  const summary = stdout.trim().split('\n').reverse().find((l) => l.includes('records sent') && l.includes('50th'));
  const m = summary && /([\d.]+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, ([\d.]+) ms 50th, ([\d.]+) ms 95th, ([\d.]+) ms 99th/.exec(summary);
  if (!m) throw new Error(`cannot parse ProducerPerformance output: ${stdout.slice(-1000)}`);
  const n = (i: number) => Number(m[i]);
  return { records: n(1), recordsPerSecond: n(2), mbPerSecond: n(3), avgLatencyMs: n(4), maxLatencyMs: n(5), p50Ms: n(6), p95Ms: n(7), p99Ms: n(8), summary: summary! };
}
