/**
 * Memory: a power-law population seeded into Redis with every home timeline materialised, and with
 * only 20% of users active (the others' timelines expired); Redis used_memory and bytes per user.
 * Then the compact sorted-set encoding (zset-max-listpack-entries above the cap): the same
 * populations' memory, one full timeline's size, and what a fan-out into full timelines costs in
 * each encoding (deliveries/s of the server-side fan-out script).
 */
import type { Redis } from 'ioredis';
import { createTimelineStore } from '../src/adapters/redis/timeline-store.js';
import { keys } from '../src/adapters/redis/keys.js';
import { loadConfig } from '../src/config/index.js';
import type { Position } from '../src/domain/cursor.js';
import { createSnowflake, snowflakeTime } from '../src/domain/snowflake.js';
import { DEFAULT_SEED_OPTIONS, seedData } from '../scripts/seed/seed-data.js';
import { stderrProgress } from '../scripts/seed/progress.js';
import { seededRandom } from '../scripts/population/prng.js';
import type { BenchContext, Benchmark } from './lib/context.js';
import { benchRedis } from './lib/redis.js';
import { writeResult, type TargetCheck } from './lib/results.js';
import { median, sig } from './lib/stats.js';
import { barPanels } from './lib/svg.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ACTIVE_SHARE = 0.2;

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1]);
}

interface Population {
  label: string;
  encoding: 'default' | 'compact';
  activeShare: number;
  activeUsers: number;
  homeEntries: number;
  usedMemory: number;
  bytesPerUser: number;
  /** used_memory above the same encoding's population without home timelines, per active user. */
  timelineBytesPerActiveUser: number | null;
  seedSeconds: number;
}

async function run(ctx: BenchContext): Promise<void> {
  const config = loadConfig({ ...ctx.serviceEnv });
  const cap = config.timeline.cap;
  const windowMs = config.timeline.activeDays * DAY_MS;
  const users = ctx.quick ? 20_000 : 100_000;
  const graph = { maxFollowers: ctx.quick ? 500 : 1_000, exponent: 0.5, tweetsPerUser: 10 };
  const server = await ctx.startRedis('memory');
  const redis = benchRedis(server.url);
  try {
    const defaultEntries = Number((await redis.config('GET', 'zset-max-listpack-entries') as string[])[1]);
    // Above the cap, so a full timeline stays compact; follower and author sets up to it too.
    const compactEntries = 2 ** Math.ceil(Math.log2(cap + 1));
    const encodingEntries = { default: defaultEntries, compact: compactEntries } as const;

    // Per encoding, one population seeded with every timeline materialised; then 80% of the users'
    // timelines go as the service's expiry would take them (20% active, as seed-data's default
    // share), then the rest (no home timelines): the same users, graph and tweets in all three.
    const populations: Population[] = [];
    for (const encoding of ['default', 'compact'] as const) {
      await redis.flushall();
      await redis.config('SET', 'zset-max-listpack-entries', String(encodingEntries[encoding]));
      const seeded = await seedData(
        redis,
        { ...DEFAULT_SEED_OPTIONS, users, ...graph, homeTimelines: true, handlePrefix: 'mem', now: Date.now(), homeCap: cap, authorCap: config.timeline.authorTweetsCap, activeShare: 1, activeDays: config.timeline.activeDays },
        stderrProgress({ label: `bench memory: ${encoding} encoding` }),
      );
      const suffix = encoding === 'compact' ? ', compact' : '';
      const measure = async (label: string, activeShare: number, activeUsers: number, homeEntries: number) => {
        const used = await usedMemory(redis);
        populations.push({ label: label + suffix, encoding, activeShare, activeUsers, homeEntries, usedMemory: used, bytesPerUser: Math.round(used / users), timelineBytesPerActiveUser: null, seedSeconds: sig(seeded.seconds) });
        ctx.say(`${label}${suffix}: used_memory ${used} (${Math.round(used / users)} bytes a user)`);
      };
      await measure('every timeline materialised', 1, users, seeded.homeEntries);
      const keep = new Set(seededRandom(7).sample([...Array(users).keys()], Math.round(users * ACTIVE_SHARE)));
      const expire = async (which: (u: number) => boolean) => {
        let entries = 0;
        for (let start = 0; start < users; start += 1000) {
          const pipeline = redis.pipeline();
          for (let u = start; u < Math.min(users, start + 1000); u++) if (which(u)) pipeline.unlink(keys.homeTimeline(seeded.userIds[u]!));
          await pipeline.exec();
        }
        for (let start = 0; start < users; start += 1000) {
          const pipeline = redis.pipeline();
          for (let u = start; u < Math.min(users, start + 1000); u++) pipeline.zcard(keys.homeTimeline(seeded.userIds[u]!));
          for (const [, n] of (await pipeline.exec()) ?? []) entries += Number(n);
        }
        return entries;
      };
      const left = await expire((u) => !keep.has(u));
      await measure(`${ACTIVE_SHARE * 100}% active`, ACTIVE_SHARE, keep.size, left);
      await expire(() => true);
      await measure('no home timelines', 0, 0, 0);
      const base = populations.at(-1)!.usedMemory;
      for (const p of populations.filter((x) => x.encoding === encoding && x.activeUsers > 0)) p.timelineBytesPerActiveUser = Math.round((p.usedMemory - base) / p.activeUsers);
    }

    // One full timeline, and fan-outs into full timelines, in each encoding.
    const perEncoding: Record<string, { fullTimelineBytes: number; deliveriesPerSecond: number[] }> = {};
    const followers = ctx.quick ? 500 : 2_000;
    const tweetsPerRun = 20;
    const ids = createSnowflake(1000, () => Date.now() - 30 * DAY_MS);
    const fill = Array.from({ length: cap }, () => ids.next());
    for (let round = 0; round < 3; round++) {
      for (const encoding of ['default', 'compact'] as const) {
        await redis.flushall();
        await redis.config('SET', 'zset-max-listpack-entries', String(encodingEntries[encoding]));
        const author = '1';
        const now = Date.now();
        for (let start = 0; start < followers; start += 100) {
          const pipeline = redis.pipeline();
          for (let f = start; f < Math.min(followers, start + 100); f++) {
            const id = String(10_000 + f);
            pipeline.zadd(keys.followers(author), f, id);
            const args: (string | number)[] = [];
            for (const t of fill) args.push(snowflakeTime(t), t);
            pipeline.zadd(keys.homeTimeline(id), ...args).set(keys.lastSeen(id), now).pexpireat(keys.homeTimeline(id), now + windowMs);
          }
          await pipeline.exec();
        }
        const entry = perEncoding[encoding] ?? { fullTimelineBytes: Number(await redis.memory('USAGE', keys.homeTimeline('10000'), 'SAMPLES', '0')), deliveriesPerSecond: [] };
        perEncoding[encoding] = entry;
        const store = createTimelineStore(redis, { homeCap: cap, authorCap: config.timeline.authorTweetsCap, activeWindowMs: windowMs });
        const fresh = createSnowflake(1001);
        const started = performance.now();
        for (let t = 0; t < tweetsPerRun; t++) {
          const id = fresh.next();
          let after: Position | null = null;
          for (;;) {
            const chunk = await store.fanOutChunk!({ authorId: author, entry: { tweet: { id, authorId: author, text: '', createdAt: '' }, producedAt: 0 }, range: { from: null, to: null }, after, limit: config.timeline.fanoutChunkSize });
            if (chunk.done) break;
            after = chunk.last;
          }
        }
        const rate = Math.round((followers * tweetsPerRun) / ((performance.now() - started) / 1000));
        if ((await redis.zcard(keys.homeTimeline('10000'))) !== cap) throw new Error('a full timeline did not stay at the cap');
        entry.deliveriesPerSecond.push(rate);
        ctx.say(`round ${round + 1}/3, ${encoding} encoding: ${rate} deliveries/s into full timelines`);
      }
    }
    await redis.config('SET', 'zset-max-listpack-entries', String(defaultEntries));

    const all = populations.find((p) => p.encoding === 'default' && p.activeShare === 1)!;
    const partly = populations.find((p) => p.encoding === 'default' && p.activeShare === ACTIVE_SHARE)!;
    const allCompact = populations.find((p) => p.encoding === 'compact' && p.activeShare === 1)!;
    const insertDefault = median(perEncoding.default!.deliveriesPerSecond);
    const insertCompact = median(perEncoding.compact!.deliveriesPerSecond);
    const ratios = {
      usedMemoryPartlyOverAll: sig(partly.usedMemory / all.usedMemory, 3),
      usedMemoryCompactOverDefault: sig(allCompact.usedMemory / all.usedMemory, 3),
      fullTimelineCompactOverDefault: sig(perEncoding.compact!.fullTimelineBytes / perEncoding.default!.fullTimelineBytes, 3),
      insertRateCompactOverDefault: sig(insertCompact / insertDefault, 3),
    };
    const targets: TargetCheck[] = [
      {
        description: `Redis memory grows with active users only (${ACTIVE_SHARE * 100}% active vs all)`,
        target: 'report',
        measured: `${partly.bytesPerUser} vs ${all.bytesPerUser} bytes a user (${ratios.usedMemoryPartlyOverAll}×)`,
        met: true,
      },
    ];
    const result = {
      name: 'memory',
      title: 'Memory: materialised timelines, active users only, and the compact encoding',
      date: new Date().toISOString(),
      quick: ctx.quick,
      machine: ctx.machine,
      parameters: { users, ...graph, cap, activeDays: config.timeline.activeDays, activeShare: ACTIVE_SHARE, encodingEntries, insertFollowers: followers, insertTweetsPerRun: tweetsPerRun },
      raw: { populations, perEncoding },
      ratios,
      targets,
      notes: [
        `seed-data: ${users} users, power law (exponent ${graph.exponent}, max ${graph.maxFollowers} followers), ${graph.tweetsPerUser} tweets each, every user active with a home timeline; used_memory right after. Then the timelines of a random ${100 - ACTIVE_SHARE * 100}% are removed (what the service's expiry does to inactive users' timelines; the same users, graph and tweets), used_memory again, then all of them, used_memory again. Once per encoding, on a fresh FLUSHALL.`,
        `"timeline bytes per active user" is used_memory above the same encoding's population without any home timeline, divided by the active users: what materialising one costs.`,
        `compact = zset-max-listpack-entries ${compactEntries} (above the ${cap} cap), so every timeline, follower set and author timeline up to that size is one listpack; default = ${defaultEntries}, a skiplist above it.`,
        `Insert cost: ${followers} followers, each with a full ${cap}-entry timeline, get ${tweetsPerRun} new tweets through the server-side fan-out script (TimelineStore.fanOutChunk), so each delivery is an insert and a trim; 3 rounds alternating the encodings, median reported.`,
        'The machine is shared and has 2 cores. Numbers are provisional.',
      ],
    };
    const svg = barPanels({
      title: 'Redis memory: every timeline vs active users only; compact sorted sets',
      panels: [
        { title: 'bytes per user', unit: 'B', bars: populations.map((p) => ({ label: p.label, value: p.bytesPerUser })) },
        { title: `one full timeline (${cap})`, unit: 'B', bars: Object.entries(perEncoding).map(([k, v]) => ({ label: k, value: v.fullTimelineBytes })) },
        { title: 'fan-out into full timelines', unit: 'deliveries/s', bars: Object.entries(perEncoding).map(([k, v]) => ({ label: k, value: median(v.deliveriesPerSecond) })) },
      ],
    });
    ctx.say(`wrote ${await writeResult(ctx, 'memory', result, svg)}`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

export const memoryBenchmark: Benchmark = { name: 'memory', run };
