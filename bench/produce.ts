import { Kafka, logLevel } from 'kafkajs';
/**
 * Produce path: postTweet throughput and latency under load (autocannon, many users) against the
 * broker's own producer benchmark (kafka-producer-perf-test) with records of our message size.
 */
import { createKafkaAdmin } from '../src/adapters/kafka/admin.js';
import { join } from 'node:path';
import { makeEvent, type TweetEvent } from '../src/domain/events.js';
import { createSnowflake, snowflakeTime } from '../src/domain/snowflake.js';
import { DEFAULT_SEED_OPTIONS, seedData } from '../scripts/seed/seed-data.js';
import { stderrProgress } from '../scripts/seed/progress.js';
import type { BenchContext, Benchmark } from './lib/context.js';
import { benchRedis } from './lib/redis.js';
import { runLoad, writeTokens } from './lib/load.js';
import { profileCpu } from './lib/profile.js';
import { producerPerformance } from './lib/producer-perf.js';
import { writeResult, type TargetCheck } from './lib/results.js';
import { startBenchService } from './lib/service.js';
import { sig } from './lib/stats.js';
import { barPanels } from './lib/svg.js';

const MUTATION = 'mutation($t: String!) { postTweet(text: $t) { id createdAt } }';
const TEXT = 'Benchmark tweet {n}: the basketball playoffs tonight, a new ramen place downtown and a long ride along the river. Thoughts?';

/** Bytes of the tweet.created message value our API produces for a text like the load's. */
function messageBytes(authorId: string): number {
  const id = createSnowflake(1).next();
  const text = TEXT.replace('{n}', '123456');
  const event = makeEvent<TweetEvent>('tweet.created', { tweet: { id, authorId, text, createdAt: new Date(snowflakeTime(id)).toISOString() } });
  return Buffer.byteLength(JSON.stringify(event));
}

async function run(ctx: BenchContext): Promise<void> {
  const users = 2_000;
  const seconds = ctx.quick ? 8 : 20;
  const connections = 64;
  const server = await ctx.startRedis('produce');
  const redis = benchRedis(server.url);
  const service = await startBenchService(ctx, {
    name: 'produce',
    redisUrl: server.url,
    roles: { api: true, consumers: [] },
    env: { MUTATION_RATE_LIMIT: '1000000' },
  });
  try {
    const seeded = await seedData(
      redis,
      { ...DEFAULT_SEED_OPTIONS, users, maxFollowers: 0, tweetsPerUser: 0, homeTimelines: false, handlePrefix: 'prod', now: Date.now() },
      stderrProgress({ label: 'bench produce' }),
    );
    const tokens = await Promise.all(seeded.userIds.map((id) => service.tokens.issue(id)));
    const tokensFile = await writeTokens(ctx.tmpDir, 'produce', tokens);
    const topic = service.config.kafka.namespace + 'tweets';
    const admin = createKafkaAdmin(service.app.kafka);
    await admin.connect();
    const endOffsets = async (t: string) => (await admin.topicOffsets(t)).reduce((sum, p) => sum + Number(p.high), 0);
    const spec = { url: service.url, tokensFile, query: MUTATION, variables: { t: TEXT }, connections };
    ctx.say('postTweet: warm-up');
    await runLoad({ ...spec, durationSeconds: 3 });
    const before = await endOffsets(topic);
    ctx.say(`postTweet: ${connections} connections, ${seconds} s`);
    const load = () => runLoad({ ...spec, durationSeconds: seconds });
    const profiled = ctx.profile ? await profileCpu(join(ctx.tmpDir, 'produce.cpuprofile'), load) : null;
    const ours = profiled ? profiled.value : await load();
    const produced = (await endOffsets(topic)) - before;
    ctx.say(`postTweet: ${ours.requestsPerSecond} req/s, p50 ${ours.latencyMs.p50} ms, p99 ${ours.latencyMs.p99} ms; ${produced} messages in the topic`);
    if (ours.graphqlErrors + ours.non2xx + ours.errors > 0) throw new Error(`errors under load: ${JSON.stringify({ ...ours, latencyMs: undefined })}`);
    // Requests still in flight when autocannon stops are answered (and produced) uncounted.
    if (produced < ours.requests) throw new Error(`${ours.requests} acknowledged posts but only ${produced} messages in the topic`);

    const recordSize = messageBytes(seeded.userIds[0]!);
    const perfTopic = `${service.config.kafka.namespace}producer-perf`;
    await admin.disconnect();
    // The perf tool's own topic: created as any client of the cluster would.
    const perfAdmin = new Kafka({ clientId: 'bench-produce', brokers: ctx.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await perfAdmin.connect();
    await perfAdmin.createTopics({ topics: [{ topic: perfTopic, numPartitions: service.config.kafka.partitions, replicationFactor: -1 }], waitForLeaders: true });
    await perfAdmin.disconnect();
    const records = ctx.quick ? 300_000 : 1_000_000;
    ctx.say(`ceiling: kafka-producer-perf-test, ${records} records of ${recordSize} bytes, acks=all`);
    const ceiling = await producerPerformance({ libDir: ctx.kafkaLibDir, brokers: ctx.kafkaBrokers, topic: perfTopic, records, recordSize });
    ctx.say(`ceiling: ${ceiling.summary}`);

    const ratios = {
      throughputOursOverCeiling: sig(ours.requestsPerSecond / ceiling.recordsPerSecond, 3),
      p99OursOverCeiling: sig(ours.latencyMs.p99 / ceiling.p99Ms, 3),
    };
    const targets: TargetCheck[] = [
      {
        description: 'postTweet throughput vs kafka-producer-perf-test (no numeric target: the ceiling for reference)',
        target: 'report',
        measured: `${ours.requestsPerSecond}/s vs ${Math.round(ceiling.recordsPerSecond)}/s (${ratios.throughputOursOverCeiling}×)`,
        met: true,
      },
    ];
    const result = {
      name: 'produce',
      title: 'Produce path: postTweet against the broker\'s own producer benchmark',
      date: new Date().toISOString(),
      quick: ctx.quick,
      machine: ctx.machine,
      parameters: { users, seconds, connections, recordSize, ceilingRecords: records, partitions: service.config.kafka.partitions, text: TEXT },
      raw: { postTweet: { ...ours, messagesInTopic: produced }, ceiling, profile: profiled ? { hottest: profiled.hottest, packages: profiled.packages } : null },
      ratios,
      targets,
      notes: [
        'postTweet: autocannon in a child process, each request with the next of 2,000 seeded users\' tokens (MUTATION_RATE_LIMIT raised), only the API role running. Each request validates, checks the write budget in Redis, produces tweet.created (idempotent producer, acks=all) and answers once the broker acknowledged it; the topic\'s offsets are checked to grow by at least the number of answers (requests in flight at the end land too).',
        'The ceiling is org.apache.kafka.tools.ProducerPerformance (kafka-producer-perf-test) from the broker\'s own jars, --throughput -1, acks=all, records of our average message size, to a topic with as many partitions as ours: what the broker takes from a client that batches freely.',
        'The machine is shared and has 2 cores. Numbers are provisional.',
      ],
    };
    const svg = barPanels({
      title: 'Produce path: postTweet (HTTP → Kafka ack) vs kafka-producer-perf-test',
      panels: [
        { title: 'throughput', unit: '/s', bars: [{ label: 'postTweet', value: ours.requestsPerSecond }, { label: 'producer-perf-test', value: Math.round(ceiling.recordsPerSecond) }] },
        { title: 'p99 latency', unit: 'ms', bars: [{ label: 'postTweet', value: ours.latencyMs.p99 }, { label: 'producer-perf-test', value: ceiling.p99Ms }] },
      ],
    });
    ctx.say(`wrote ${await writeResult(ctx, 'produce', result, svg)}`);
  } finally {
    await service.stop();
    redis.disconnect();
    await server.stop();
  }
}

export const produceBenchmark: Benchmark = { name: 'produce', run };
