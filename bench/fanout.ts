/**
 * Fan-out: the seed article's table (3 … 10k followers, one awaited RPUSH each) re-run up to 1M
 * followers, for (a) a faithful re-implementation of the seed's loop, (b) our fan-out consumer end
 * to end through Kafka, and (c) the ceiling: redis-benchmark -P 100 of the command our fan-out
 * issues, on the same redis-server. See README "Benchmarks".
 */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { createFollowGraph } from '../src/adapters/redis/follow-graph.js';
import { keys } from '../src/adapters/redis/keys.js';
import { createSnowflake, snowflakeTime } from '../src/domain/snowflake.js';
import { seededRandom } from '../scripts/population/prng.js';
import { DEFAULT_SEED_OPTIONS, seedData, type SeedResult } from '../scripts/seed/seed-data.js';
import { stderrProgress } from '../scripts/seed/progress.js';
import type { BenchContext, Benchmark } from './lib/context.js';
import { benchRedis } from './lib/redis.js';
import { profileCpu, type HotFunction } from './lib/profile.js';
import { redisBenchmark } from './lib/redis-benchmark.js';
import { writeResult, type TargetCheck } from './lib/results.js';
import { configKnows, graphql, startBenchService, type BenchService } from './lib/service.js';
import { median, sig } from './lib/stats.js';
import { lineChart } from './lib/svg.js';
import { groupCount, until } from './lib/wait.js';

/** Share of followers active in the "20% active" runs (seed-data's default). */
const ACTIVE_SHARE = 0.2;

interface PartlyActiveRow {
  followers: number;
  activeFollowers: number;
  ms: number;
  runsMs: number[];
  followersCoveredPerSecond: number;
  deliveriesPerSecond: number;
  usedMemory: number;
  allActiveUsedMemory: number | null;
}

/** Calls and microseconds per command since CONFIG RESETSTAT (script-internal calls included). */
interface CommandStat {
  calls: number;
  usec: number;
  usecPerCall: number;
}

function commandStats(info: string): Record<string, CommandStat> {
  const stats: Record<string, CommandStat> = {};
  for (const m of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/gm)) {
    stats[m[1]!] = { calls: Number(m[2]), usec: Number(m[3]), usecPerCall: Number(m[4]) };
  }
  return stats;
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1]);
}

/** The seed article's measurements (its machine, 2023): followers → ms. */
const SEED_PUBLISHED_MS: Record<number, number> = { 3: 2.9, 100: 83.7, 1_000: 809.6603, 10_000: 6_300 };
const POST = 'mutation($t: String!) { postTweet(text: $t) { id } }';

interface Row {
  followers: number;
  /** Redis used_memory (bytes) after this size's runs: followers, users and the timelines written. */
  usedMemory: number;
  seedPublishedMs: number | null;
  naive: { ms: number; followersDone: number; extrapolated: boolean; usPerFollower: number; runsMs: number[] };
  fanout: { ms: number; ackMs: number; runsMs: number[]; deliveriesPerSecond: number };
  ceilingMs: number;
  seedingSeconds: number;
}

/** (a): the seed's loop, one awaited RPUSH per follower, stopped at the budget and extrapolated linearly. */
async function naiveLoop(client: Redis, followerIds: readonly string[], tweetId: string, budgetMs: number) {
  const started = performance.now();
  let done = 0;
  for (const follower of followerIds) {
    await client.rpush(keys.homeTimeline(follower), tweetId);
    done++;
    if (performance.now() - started > budgetMs) break;
  }
  const elapsed = performance.now() - started;
  return { elapsed, done, ms: (elapsed * followerIds.length) / done, extrapolated: done < followerIds.length };
}

/**
 * (b): postTweet over GraphQL → fan-out done: the fanout group's processed counter moved and, for
 * an audience the service splits, the fanout-slices group processed every slice; ms.
 */
async function postAndWait(service: BenchService, token: string, text: string, timeoutMs: number, slices = 0) {
  const processed = service.app.metrics.consumers.processed;
  const before = await groupCount(processed, 'fanout');
  const slicesBefore = await groupCount(processed, 'fanout-slices');
  const started = performance.now();
  const { postTweet } = await graphql<{ postTweet: { id: string } }>(service.url, POST, { t: text }, token);
  const ackMs = performance.now() - started;
  await until(
    async () => (await groupCount(processed, 'fanout')) > before && (await groupCount(processed, 'fanout-slices')) >= slicesBefore + slices,
    { what: 'the fan-out of one tweet', timeoutMs },
  );
  return { id: postTweet.id, ackMs, ms: performance.now() - started };
}

/** How many slices the service cuts this author's audience into (0: written by the fanout group itself). */
async function slicesFor(redis: Redis, author: string, followers: number, splitAbove: number, chunkSize: number): Promise<number> {
  if (followers <= splitAbove) return 0;
  return (await createFollowGraph(redis).followerSplitPoints(author, chunkSize)).length + 1;
}

/** How many of a random sample of followers have the tweet in their home timeline. */
async function deliveredInSample(redis: Redis, seeded: SeedResult, tweetId: string, sample: number): Promise<{ checked: number; found: number }> {
  const rng = seededRandom(7);
  const row = seeded.followers.followers.subarray(seeded.followers.offsets[0]!, seeded.followers.offsets[1]!);
  const pipeline = redis.pipeline();
  const checked = Math.min(sample, row.length);
  for (let i = 0; i < checked; i++) pipeline.zscore(keys.homeTimeline(seeded.userIds[row[rng.int(row.length)]!]!), tweetId);
  const results = (await pipeline.exec()) ?? [];
  return { checked, found: results.filter(([err, score]) => !err && score !== null).length };
}

async function run(ctx: BenchContext): Promise<void> {
  const sizes = ctx.quick ? [3, 100, 1_000, 10_000, 100_000] : [3, 100, 1_000, 10_000, 100_000, 1_000_000];
  const naiveBudgetMs = ctx.quick ? 3_000 : 15_000;
  const largest = sizes.at(-1)!;
  const server = await ctx.startRedis('fanout');
  const redis = benchRedis(server.url);
  const naiveClient = benchRedis(server.url, 1); // the seed's lists live apart from our sorted sets
  const celebrityKnown = configKnows('FANOUT_CELEBRITY_THRESHOLD');
  const notes: string[] = [];
  let service: BenchService | undefined;
  try {
    const env: Record<string, string> = { MUTATION_RATE_LIMIT: '1000000' };
    // Just above the largest author: every size is fanned out at write time.
    if (celebrityKnown) env.FANOUT_CELEBRITY_THRESHOLD = String(largest + 1);
    service = await startBenchService(ctx, { name: 'fanout', redisUrl: server.url, roles: { api: true, consumers: ['fanout', 'fanout-slices'] }, env });
    const homeCap = service.config.timeline.cap;
    const chunkSize = service.config.timeline.fanoutChunkSize;

    // (c) The ceiling: the server's own client, pipelined 100 deep, issuing what our fan-out issues.
    const sampleTweet = createSnowflake(1022).next();
    const ceilingRequests = ctx.quick ? 1_000_000 : 3_000_000;
    const zadd: number[] = [];
    const trim: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      ctx.say(`ceiling: redis-benchmark -P 100 ZADD (${rep + 1}/3)`);
      const common = { port: server.port, pipeline: 100, requests: ceilingRequests, keyspace: 1_000_000, db: 2 };
      zadd.push((await redisBenchmark({ ...common, command: ['ZADD', keys.homeTimeline('__rand_int__'), snowflakeTime(sampleTweet), sampleTweet] })).requestsPerSecond);
      trim.push((await redisBenchmark({ ...common, command: ['ZREMRANGEBYRANK', keys.homeTimeline('__rand_int__'), 0, -(homeCap + 1)] })).requestsPerSecond);
      await redis.select(2).then(() => redis.flushdb()).then(() => redis.select(0));
    }
    const ceilingRps = median(zadd);
    // Our fan-out trims every timeline it writes to: per delivery one ZADD and one ZREMRANGEBYRANK.
    const pairRps = 1 / (1 / ceilingRps + 1 / median(trim));

    const rows: Row[] = [];
    let redisProfile: { followers: number; runs: number; commands: Record<string, CommandStat> } | null = null;
    let profile: { followers: number; file: string; hottest: HotFunction[]; packages: Record<string, number> } | null = null;
    for (const followers of sizes) {
      await redis.flushall();
      const seeded = await seedData(
        redis,
        { ...DEFAULT_SEED_OPTIONS, users: followers + 1, maxFollowers: followers, exponent: 2, tweetsPerUser: 0, homeTimelines: false, handlePrefix: 'fan', now: Date.now(), homeCap, authorCap: service.config.timeline.authorTweetsCap, activeShare: 1, activeDays: service.config.timeline.activeDays },
        stderrProgress({ label: `bench fanout ${followers}` }),
      );
      const author = seeded.userIds[0]!;
      const followerIds = await redis.zrange(keys.followers(author), 0, -1);
      if (followerIds.length !== followers) throw new Error(`seeded ${followerIds.length} followers, wanted ${followers}`);
      const reps = followers <= 10_000 ? 5 : 3;

      ctx.say(`${followers} followers: (a) the seed's loop, ${reps} run(s), budget ${naiveBudgetMs / 1000} s each`);
      const naiveRuns: Awaited<ReturnType<typeof naiveLoop>>[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const r = await naiveLoop(naiveClient, followerIds, createSnowflake(1022).next(), naiveBudgetMs);
        naiveRuns.push(r);
        await naiveClient.flushdb();
        if (r.extrapolated) break;
      }
      const naiveMs = median(naiveRuns.map((r) => r.ms));
      const last = naiveRuns.at(-1)!;

      ctx.say(`${followers} followers: (b) postTweet → fan-out consumer done, ${reps} run(s) after a warm-up`);
      const token = await service.tokens.issue(author);
      const timeoutMs = 60_000 + followers / 10;
      const slices = await slicesFor(redis, author, followers, service.config.timeline.splitAbove, chunkSize);
      await postAndWait(service, token, 'warm-up', timeoutMs, slices);
      if (followers === largest) await redis.config('RESETSTAT');
      const fanRuns: Awaited<ReturnType<typeof postAndWait>>[] = [];
      for (let rep = 0; rep < reps; rep++) fanRuns.push(await postAndWait(service, token, `to my ${followers} followers, run ${rep}`, timeoutMs, slices));
      if (followers === largest) redisProfile = { followers, runs: reps, commands: commandStats(await redis.info('commandstats')) };
      if (ctx.profile && followers === largest) {
        const file = join(ctx.tmpDir, `fanout-${followers}.cpuprofile`);
        ctx.say(`profiling 3 more fan-outs to ${followers} followers → ${file}`);
        const { hottest, packages } = await profileCpu(file, async () => {
          for (let rep = 0; rep < 3; rep++) await postAndWait(service!, token, `profiled ${rep}`, timeoutMs, slices);
        });
        profile = { followers, file, hottest, packages };
      }
      const check = await deliveredInSample(redis, seeded, fanRuns.at(-1)!.id, 2_000);
      if (check.found !== check.checked) throw new Error(`fan-out incomplete: ${check.found} of ${check.checked} sampled followers have the tweet`);
      const fanMs = median(fanRuns.map((r) => r.ms));
      const row: Row = {
        followers,
        usedMemory: await usedMemory(redis),
        seedPublishedMs: SEED_PUBLISHED_MS[followers] ?? null,
        naive: { ms: sig(naiveMs), followersDone: last.done, extrapolated: last.extrapolated, usPerFollower: sig((naiveMs * 1000) / followers), runsMs: naiveRuns.map((r) => sig(r.ms)) },
        fanout: { ms: sig(fanMs), ackMs: sig(median(fanRuns.map((r) => r.ackMs))), runsMs: fanRuns.map((r) => sig(r.ms)), deliveriesPerSecond: Math.round((followers / fanMs) * 1000) },
        ceilingMs: sig((followers / ceilingRps) * 1000),
        seedingSeconds: sig(seeded.seconds),
      };
      rows.push(row);
      ctx.say(`${followers} followers: (a) ${row.naive.ms} ms${row.naive.extrapolated ? ' (extrapolated)' : ''}, (b) ${row.fanout.ms} ms, (c) ${row.ceilingMs} ms`);
    }
    // "20% active": the same authors, a fifth of their followers active (seed-data's default):
    // fan-out covers every follower but writes only the active ones' timelines.
    const partlyActive: PartlyActiveRow[] = [];
    for (const followers of sizes.filter((n) => n >= 100_000)) {
      await redis.flushall();
      const seeded = await seedData(
        redis,
        { ...DEFAULT_SEED_OPTIONS, users: followers + 1, maxFollowers: followers, exponent: 2, tweetsPerUser: 0, homeTimelines: false, handlePrefix: 'fan', now: Date.now(), homeCap, authorCap: service.config.timeline.authorTweetsCap, activeShare: ACTIVE_SHARE, activeDays: service.config.timeline.activeDays },
        stderrProgress({ label: `bench fanout ${followers}, ${ACTIVE_SHARE * 100}% active` }),
      );
      const token = await service.tokens.issue(seeded.userIds[0]!);
      const timeoutMs = 60_000 + followers / 10;
      const slices = await slicesFor(redis, seeded.userIds[0]!, followers, service.config.timeline.splitAbove, chunkSize);
      ctx.say(`${followers} followers, ${ACTIVE_SHARE * 100}% active: (b) 3 runs after a warm-up`);
      await postAndWait(service, token, 'warm-up', timeoutMs, slices);
      const runs: number[] = [];
      let lastId = '';
      for (let rep = 0; rep < 3; rep++) {
        const r = await postAndWait(service, token, `to my partly active followers, run ${rep}`, timeoutMs, slices);
        runs.push(r.ms);
        lastId = r.id;
      }
      const active = seeded.userIds.filter((_, i) => i > 0 && seeded.active[i]);
      const activeHaveIt = (await Promise.all(active.slice(0, 2_000).map((id) => redis.zscore(keys.homeTimeline(id), lastId)))).every((s) => s !== null);
      if (!activeHaveIt) throw new Error(`fan-out to ${followers} partly active followers missed an active one`);
      const ms = median(runs);
      const row: PartlyActiveRow = {
        followers,
        activeFollowers: active.length,
        ms: sig(ms),
        runsMs: runs.map((x) => sig(x)),
        followersCoveredPerSecond: Math.round((followers / ms) * 1000),
        deliveriesPerSecond: Math.round((active.length / ms) * 1000),
        usedMemory: await usedMemory(redis),
        allActiveUsedMemory: rows.find((x) => x.followers === followers)?.usedMemory ?? null,
      };
      partlyActive.push(row);
      ctx.say(`${followers} followers, ${ACTIVE_SHARE * 100}% active: ${row.ms} ms, ${row.followersCoveredPerSecond} followers covered/s, used_memory ${row.usedMemory}`);
    }
    const failed = await groupCount(service.app.metrics.consumers.failed, 'fanout');
    if (failed > 0) notes.push(`${failed} fan-out handler attempt(s) failed and were retried during the run: those runs include the retry.`);
    await service.stop();
    service = undefined;

    // The celebrity (hybrid) path, when this build has it: the author is over the threshold.
    let celebrity: Record<string, unknown> | null = null;
    if (celebrityKnown) {
      const threshold = Math.max(2, Math.floor(largest / 10));
      service = await startBenchService(ctx, { name: 'fanout-celebrity', redisUrl: server.url, roles: { api: true, consumers: ['fanout'] }, env: { MUTATION_RATE_LIMIT: '1000000', FANOUT_CELEBRITY_THRESHOLD: String(threshold) } });
      const author = (await redis.get(keys.handle('fan0')))!;
      const token = await service.tokens.issue(author);
      await postAndWait(service, token, 'warm-up', 60_000);
      const runs = [];
      for (let rep = 0; rep < 5; rep++) runs.push(await postAndWait(service, token, `celebrity post ${rep}`, 60_000));
      celebrity = { followers: largest, threshold, ms: sig(median(runs.map((r) => r.ms))), ackMs: sig(median(runs.map((r) => r.ackMs))), runsMs: runs.map((r) => sig(r.ms)) };
      await service.stop();
      service = undefined;
    } else {
      notes.push('FANOUT_CELEBRITY_THRESHOLD is not a setting of this build: the celebrity (hybrid) row was skipped.');
    }

    const at = (n: number) => rows.find((r) => r.followers === n);
    const at10k = at(10_000);
    const big = rows.at(-1)!;
    const ratios = {
      naiveOverFanoutAt10k: at10k ? sig(at10k.naive.ms / at10k.fanout.ms, 3) : null,
      seedPublishedOverFanoutAt10k: at10k ? sig(6_300 / at10k.fanout.ms, 3) : null,
      fanoutRateOverCeilingAtLargest: sig(big.fanout.deliveriesPerSecond / ceilingRps, 3),
      fanoutRateOverPairCeilingAtLargest: sig(big.fanout.deliveriesPerSecond / pairRps, 3),
      ceilingOverNaiveRate: at10k ? sig(ceilingRps / (10_000 / (at10k.naive.ms / 1000)), 3) : null,
    };
    const oneMillion = at(1_000_000);
    const targets: TargetCheck[] = [
      {
        description: "10k followers vs the seed article's published 6.3 s",
        target: '≥ 200×',
        measured: `${ratios.seedPublishedOverFanoutAt10k}× (vs the seed loop (a) re-run here: ${ratios.naiveOverFanoutAt10k}×)`,
        met: (ratios.seedPublishedOverFanoutAt10k ?? 0) >= 200,
        note: `the ceiling (c) itself is only ${ratios.ceilingOverNaiveRate}× the loop's rate on this machine: loopback round trips are far cheaper here than in the article`,
      },
      {
        description: `deliveries/s at ${big.followers} followers, all active, vs the ceiling (c)`,
        target: '≥ 0.8×',
        measured: `${ratios.fanoutRateOverCeilingAtLargest}× (${big.fanout.deliveriesPerSecond}/s vs ${Math.round(ceilingRps)}/s)`,
        met: ratios.fanoutRateOverCeilingAtLargest >= 0.8,
      },
      {
        description: '1M followers end to end',
        target: '< 2 s',
        measured: oneMillion ? `${sig(oneMillion.fanout.ms / 1000, 3)} s` : 'not measured (--quick)',
        met: oneMillion ? oneMillion.fanout.ms < 2_000 : 'not measured',
      },
    ];
    notes.push(
      '(a) re-implements the seed: the follower list is in memory (the seed read a hard-coded map), then one awaited RPUSH per follower to a list, as the Go code did. Each size runs until the budget is spent and is extrapolated linearly past it (marked extrapolated).',
      '(b) is postTweet over HTTP → Kafka (acks=all) → the fanout consumer group → Redis, timed until the fanout group\'s processed-messages counter moves and, above FANOUT_SPLIT_ABOVE followers, the fanout-slices group has processed every slice; a sample of 2,000 followers is then checked for the tweet. Only the API, fanout and fanout-slices run, in one process. Median of 5 runs up to 10k followers, of 3 above.',
      '(c) is redis-benchmark -P 100 -r 1000000 ZADD timeline:home:__rand_int__ <score> <id> on the same redis-server (median of 3), turned into a time for N deliveries. Our fan-out also trims each timeline (ZREMRANGEBYRANK); "pairCeiling" is the rate of that pair.',
      'Each size is seeded fresh with seed-data (users = N + 1, exponent 2: the author has exactly N followers, the rest of the graph is small), every follower active and without a home timeline: the warm-up post creates them, the measured ones add to them.',
      `"${ACTIVE_SHARE * 100}% active" re-seeds the sizes from 100,000 with seed-data's activity model (a random ${ACTIVE_SHARE * 100}% seen within the last day, the rest before TIMELINE_ACTIVE_DAYS): fan-out still walks every follower (followers covered per second) but writes only the active ones; used_memory is Redis's after the runs of each mode.`,
      'redisProfile is INFO commandstats over the measured runs at the largest size (CONFIG RESETSTAT after the warm-up): calls and microseconds per command, those made inside the fan-out script included, i.e. where Redis spent its time.',
      'The machine is shared and has 2 cores: the broker, Redis, the service and the load all run on it. Numbers are provisional.',
    );
    const result = {
      name: 'fanout',
      title: 'Fan-out: the seed loop, our consumer, and the ceiling',
      date: new Date().toISOString(),
      quick: ctx.quick,
      machine: ctx.machine,
      parameters: { sizes, naiveBudgetMs, ceilingRequests, fanoutChunkSize: chunkSize, partitions: 10, celebrityThresholdKnown: celebrityKnown },
      raw: { rows, partlyActive, activeShare: ACTIVE_SHARE, redisProfile, profile, ceiling: { zaddRps: zadd, zremrangebyrankRps: trim, zaddMedianRps: ceilingRps, pairRps: Math.round(pairRps) }, celebrity },
      ratios,
      targets,
      notes,
    };
    const series = [
      { name: 'seed article, published (their machine)', points: rows.filter((r) => r.seedPublishedMs).map((r) => [r.followers, r.seedPublishedMs!] as [number, number]), dashed: true, color: '#999999' },
      { name: '(a) seed loop, extrapolated', points: rows.filter((r, i) => r.naive.extrapolated || rows[i + 1]?.naive.extrapolated).map((r) => [r.followers, r.naive.ms] as [number, number]), dashed: true, color: '#d1495b' },
      { name: '(a) seed loop, measured', points: rows.filter((r) => !r.naive.extrapolated).map((r) => [r.followers, r.naive.ms] as [number, number]), color: '#d1495b' },
      { name: '(b) our fan-out, end to end', points: rows.map((r) => [r.followers, r.fanout.ms] as [number, number]), color: '#00798c' },
      { name: '(c) ceiling: redis-benchmark -P 100 ZADD', points: rows.map((r) => [r.followers, r.ceilingMs] as [number, number]), color: '#edae49' },
    ];
    const svg = lineChart({ title: 'Fan-out time by follower count (log-log)', xLabel: 'followers', yLabel: 'milliseconds', xLog: true, yLog: true, series });
    const path = await writeResult(ctx, 'fanout', result, svg);
    ctx.say(`wrote ${path}`);
  } finally {
    await service?.stop();
    redis.disconnect();
    naiveClient.disconnect();
    await server.stop();
  }
}

export const fanoutBenchmark: Benchmark = { name: 'fanout', run };
