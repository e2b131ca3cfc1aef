import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RedisBenchmarkResult {
  command: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Runs `redis-benchmark -P <pipeline> -n <requests> -r <keyspace> <command…>` against a local
 * server and parses its CSV line: the server's ceiling for that command on this machine.
 * `__rand_int__` in the command is replaced by redis-benchmark with random numbers below `keyspace`.
 */
export async function redisBenchmark(o: {
  port: number;
  pipeline: number;
  requests: number;
  keyspace: number;
  db: number;
  command: (string | number)[];
}): Promise<RedisBenchmarkResult> {
  const args = ['-h', '127.0.0.1', '-p', String(o.port), '--dbnum', String(o.db), '-P', String(o.pipeline), '-n', String(o.requests), '-r', String(o.keyspace), '--csv', ...o.command.map(String)];
  const { stdout } = await run('redis-benchmark', args, { maxBuffer: 1024 * 1024, timeout: 600_000 });
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const row = stdout.trim().split('\n').find((line) => !line.startsWith('"test"'));
  const cells = row?.split('","').map((c) => c.replaceAll('"', ''));
  if (!cells || cells.length < 7) throw new Error(`cannot parse redis-benchmark output: ${stdout.slice(0, 500)}`);
  return { command: cells[0]!, requestsPerSecond: Number(cells[1]), p50Ms: Number(cells[4]), p99Ms: Number(cells[6]) };
}
