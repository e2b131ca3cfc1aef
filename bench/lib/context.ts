import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalRedis, type LocalRedis } from '../../src/local/redis-server.js';
import type { Logger } from '../../src/observability/logger.js';
import type { MachineInfo } from './machine.js';

/** One benchmark of the suite: runs, then writes its results under ctx.resultsDir. */
export interface Benchmark {
  name: string;
  /** False for benchmarks that use no broker: a run of only those starts none. */
  needsKafka?: boolean;
  run(ctx: BenchContext): Promise<void>;
}

/** What every benchmark gets from the runner. */
export interface BenchContext {
  quick: boolean;
  /** Profile the hot path of each benchmark (CPU profile under tmp/, hottest functions in the JSON). */
  profile: boolean;
  /** Service settings given with --set; they override each benchmark's own. */
  serviceEnv: Record<string, string>;
  rootDir: string;
  resultsDir: string;
  /** README whose marked benchmark tables are rewritten from each result (default results dir only). */
  readmePath: string | undefined;
  /** Scratch space (git-ignored): logs, token files, profiles. */
  tmpDir: string;
  kafkaBrokers: string[];
  /** Directory of the broker's jars (for the Java perf tools). */
  kafkaLibDir: string;
  /** The machine when the current benchmark started (load average included). */
  machine: MachineInfo;
  logger: Logger;
  /** A progress line on stderr. */
  say(line: string): void;
  /** A fresh redis-server on a free port, stopped and removed when the run ends. */
  startRedis(name: string): Promise<LocalRedis>;
}

export function redisStarter(tmpDir: string, logger: Logger, stops: (() => Promise<void>)[]): (name: string) => Promise<LocalRedis> {
  return async (name) => {
    const dataDir = join(tmpDir, `redis-${name}-${Date.now()}`);
    await mkdir(dataDir, { recursive: true });
    const redis = await startLocalRedis({ dataDir, logger });
    stops.push(async () => {
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    return redis;
  };
}
