/**
 * The benchmark suite (not part of `npm test`):
 *
 *   npm run bench [-- <names…>] [--quick] [--profile] [--set NAME=value …] [--out bench/results]
 *   npm run bench -- --report [<names…>]     (README tables from the JSON already there; runs nothing)
 *
 * Starts its own Kafka broker (KRaft, from the pinned jars) and a fresh redis-server per benchmark
 * on free ports, runs the service in this process with the roles each benchmark needs, and writes
 * `<out>/<name>.json` (machine, date, parameters, raw numbers, ratios, targets met) and
 * `<out>/<name>.svg`; with the default --out it also rewrites the README's tables for each benchmark. Names: fanout, timeline-read, produce, latency, memory, offline-models (default: all, in that order; a run of only offline-models starts no broker).
 * --quick uses smaller sizes and shorter runs (a few minutes in all); --profile records a CPU
 * profile of each benchmark's hot path (bench/results/tmp/*.cpuprofile, hottest functions in the JSON);
 * --set passes a service setting (e.g. FANOUT_CHUNK_SIZE=5000) to every service the run starts, after
 * the benchmark's own, and is recorded in each result. Everything it started is
 * stopped at the end, also on Ctrl-C.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureKafkaJars } from '../src/local/kafka-jars.js';
import { startLocalKafka } from '../src/local/kafka-broker.js';
import { createLogger } from '../src/observability/logger.js';
import { redisStarter, type BenchContext, type Benchmark } from './lib/context.js';
import { machineInfo } from './lib/machine.js';
import type { BenchResult } from './lib/results.js';
import { updateReadme } from './lib/tables.js';
import { fanoutBenchmark } from './fanout.js';
import { latencyBenchmark } from './latency.js';
import { memoryBenchmark } from './memory.js';
import { produceBenchmark } from './produce.js';
import { offlineModelsBenchmark } from './offline-models.js';
import { timelineReadBenchmark } from './timeline-read.js';

const BENCHMARKS: Benchmark[] = [fanoutBenchmark, timelineReadBenchmark, produceBenchmark, latencyBenchmark, memoryBenchmark, offlineModelsBenchmark];
const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const DEFAULT_OUT = path.join(ROOT_DIR, 'bench', 'results');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { report: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false }, profile: { type: 'boolean', default: false }, set: { type: 'string', multiple: true, default: [] }, out: { type: 'string', default: DEFAULT_OUT } },
});
const unknown = positionals.filter((p) => !BENCHMARKS.some((b) => b.name === p));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => positionals.includes(b.name));
const say = (line: string) => console.error(`bench: ${line}`);

if (values.report) {
  // Only the README tables, from results already written: nothing is started.
  for (const benchmark of selected) {
    const file = path.join(path.resolve(values.out!), `${benchmark.name}.json`);
    const result = JSON.parse(await readFile(file, 'utf8')) as BenchResult;
    say(`${benchmark.name}: README tables ${(await updateReadme(path.join(ROOT_DIR, 'README.md'), result)) ? 'updated' : 'have no markers'}`);
  }
  process.exit(0);
}

const tmpDir = path.join(ROOT_DIR, 'bench', 'results', 'tmp');
await mkdir(tmpDir, { recursive: true });
const logger = createLogger({ level: 'info', name: 'bench', file: path.join(tmpDir, 'bench.log') });
const stops: (() => Promise<void>)[] = [];
let stopping: Promise<void> | undefined;
const stopAll = () =>
  (stopping ??= (async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err: unknown) => say(`cleanup failed: ${String(err)}`));
  })());
// Ctrl-C reaches every process of the group, and wrappers (npm, tsx) may relay it again: the first
// one starts the cleanup, later ones are ignored so they cannot cut it short.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    say('interrupted: stopping what the run started');
    void stopAll().then(() => process.exit(130));
  });
}

let exitCode = 0;
try {
  const machine = await machineInfo(ROOT_DIR);
  say(`${machine.cores} cores (${machine.cpuModel}), load average ${machine.loadAverage.join(' ')}; ${values.quick ? 'quick' : 'full'} run of ${selected.map((b) => b.name).join(', ')}`);
  let kafka: { brokers: string[] } = { brokers: [] };
  let kafkaLibDir = '';
  if (selected.some((b) => b.needsKafka !== false)) {
    kafkaLibDir = await ensureKafkaJars({ rootDir: ROOT_DIR, logger });
    const kafkaDir = path.join(tmpDir, `kafka-${Date.now()}`);
    const broker = await startLocalKafka({ rootDir: ROOT_DIR, dataDir: kafkaDir, logger, heapMb: 1024 });
    stops.push(async () => {
      await broker.stop();
      await rm(kafkaDir, { recursive: true, force: true });
    });
    kafka = broker;
    say(`Kafka broker on ${kafka.brokers.join(',')}`);
  }
  const ctx: BenchContext = {
    quick: values.quick!,
    profile: values.profile!,
    serviceEnv: Object.fromEntries(
      values.set!.map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--set wants NAME=value, got ${pair}`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
    rootDir: ROOT_DIR,
    resultsDir: path.resolve(values.out!),
    readmePath: path.resolve(values.out!) === DEFAULT_OUT ? path.join(ROOT_DIR, 'README.md') : undefined,
    tmpDir,
    kafkaBrokers: kafka.brokers,
    kafkaLibDir,
    machine,
    logger,
    say,
    startRedis: redisStarter(tmpDir, logger, stops),
  };
  for (const benchmark of selected) {
    say(`── ${benchmark.name} ──`);
    // Taken again per benchmark: its load average is the machine's state when it started.
    ctx.machine = await machineInfo(ROOT_DIR);
    const started = Date.now();
    try {
      await benchmark.run(ctx);
      say(`${benchmark.name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } catch (err) {
      exitCode = 1;
      say(`${benchmark.name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
} catch (err) {
  exitCode = 1;
  say(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await stopAll();
}
process.exit(exitCode);
