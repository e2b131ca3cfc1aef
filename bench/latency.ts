/**
 * Post → stored → in a follower's timeline: tweets posted at a steady rate from authors with 1,000
 * followers each; for each, when postTweet answered, when the tweet key exists (tweet-store) and
 * when it is in one chosen follower's home timeline (fanout); then the consumer lag at the end.
 */
import { join } from 'node:path';
import { createKafkaAdmin, type KafkaAdmin } from '../src/adapters/kafka/admin.js';
import type { Redis } from 'ioredis';
import { keys } from '../src/adapters/redis/keys.js';
import { snowflakeTime } from '../src/domain/snowflake.js';
import { topicNaming } from '../src/adapters/kafka/topics.js';
import { GROUP_BINDINGS } from '../src/consumers/index.js';
import { seededRandom } from '../scripts/population/prng.js';
import { rowOf } from '../scripts/population/power-law-graph.js';
import { measureLag } from '../src/adapters/kafka/lag.js';
import { DEFAULT_SEED_OPTIONS, seedData } from '../scripts/seed/seed-data.js';
import { stderrProgress } from '../scripts/seed/progress.js';
import type { BenchContext, Benchmark } from './lib/context.js';
import { benchRedis } from './lib/redis.js';
import { profileCpu, type HotFunction } from './lib/profile.js';
import { writeResult, type TargetCheck } from './lib/results.js';
import { graphql, startBenchService, type BenchService } from './lib/service.js';
import { summarize } from './lib/stats.js';
import { groupCount } from './lib/wait.js';
import { barPanels } from './lib/svg.js';

const POST = 'mutation($t: String!) { postTweet(text: $t) { id } }';
const RUNNING_GROUPS = ['tweet-store', 'fanout'] as const;
/** The stated load first; then one this machine can be expected to keep up with, for contrast. */
const RATES = [200, 50];
const FOLLOWERS_EACH = 1_000;
const POLL_MS = 2;

interface Probe {
  follower: string;
  postedAt: number;
  id?: string;
  ackMs?: number;
  storedMs?: number;
  timelineMs?: number;
}

/**
 * Polls every `intervalMs` on its own connection: one pipeline of EXISTS (not yet stored) and
 * ZSCORE (not yet in the follower's timeline) for at most `perTick` tweets in flight, taken in
 * turn. Resolution is the interval plus a round trip while fewer than `perTick` are in flight;
 * under a backlog each is checked every (in flight / perTick) ticks, so the poller's own load on
 * Redis stays bounded instead of growing with the backlog it measures.
 */
function startPoller(redis: Redis, intervalMs: number, perTick = 50) {
  let stopped = false;
  let turn = 0;
  const open: Probe[] = [];
  let failure: unknown;
  const loop = (async () => {
    while (!stopped && failure === undefined) {
      if (open.length > 0) {
        turn %= open.length;
        const batch = open.slice(turn, turn + perTick);
        turn += batch.length;
        const pipeline = redis.pipeline();
        for (const p of batch) pipeline.exists(keys.tweet(p.id!)).zscore(keys.homeTimeline(p.follower), p.id!);
        const results = await pipeline.exec().catch((err: unknown) => void (failure = err));
        if (!results) break;
        const now = performance.now();
        batch.forEach((p, i) => {
          if (p.storedMs === undefined && results[2 * i]?.[1] === 1) p.storedMs = now - p.postedAt;
          if (p.timelineMs === undefined && results[2 * i + 1]?.[1] !== null) p.timelineMs = now - p.postedAt;
        });
        for (let i = open.length - 1; i >= 0; i--) if (open[i]!.storedMs !== undefined && open[i]!.timelineMs !== undefined) open.splice(i, 1);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    /** Starts watching an acknowledged tweet. */
    watch: (probe: Probe) => void open.push(probe),
    /** Stops polling; throws what made the poller give up, if anything did. */
    stop: async () => {
      stopped = true;
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

interface Population {
  userIds: string[];
  followersOf(author: number): Int32Array;
  authors: number[];
  tokens: Map<number, string>;
}

/** One steady run at `rate` tweets/s; waits until every probe is stored and delivered (or 3 minutes). */
async function measureAtRate(ctx: BenchContext, service: BenchService, admin: KafkaAdmin, poller: Redis, population: Population, rate: number, seconds: number) {
  const rng = seededRandom(rate);
  const probes: Probe[] = [];
  const poll = startPoller(poller, POLL_MS);
  const total = rate * seconds;
  const before = await Promise.all(RUNNING_GROUPS.map((g) => groupCount(service.app.metrics.consumers.processed, g)));
  ctx.say(`posting ${rate}/s for ${seconds} s from ${population.authors.length} authors with ${FOLLOWERS_EACH} followers each`);
  const started = performance.now();
  const postAll = async () => {
    const inFlight: Promise<void>[] = [];
    // Each post's failure is kept, not left unhandled while later posts are still being sent.
    let failure: unknown;
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const author = population.authors[i % population.authors.length]!;
      const followers = population.followersOf(author);
      const probe: Probe = { follower: population.userIds[followers[rng.int(followers.length)]!]!, postedAt: performance.now() };
      probes.push(probe);
      inFlight.push(
        graphql<{ postTweet: { id: string } }>(service.url, POST, { t: `latency probe ${rate}/${i}` }, population.tokens.get(author)!).then((d) => {
          probe.ackMs = performance.now() - probe.postedAt;
          probe.id = d.postTweet.id;
          poll.watch(probe);
        }, (err: unknown) => void (failure ??= err)),
      );
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  };
  let profile: { file: string; hottest: HotFunction[]; packages: Record<string, number> } | null = null;
  if (ctx.profile) {
    const file = join(ctx.tmpDir, `latency-${rate}.cpuprofile`);
    const profiled = await profileCpu(file, postAll);
    profile = { file, hottest: profiled.hottest, packages: profiled.packages };
  } else {
    await postAll();
  }
  const postingSeconds = (performance.now() - started) / 1000;
  const naming = topicNaming(service.config.kafka.namespace);
  const lagRows = await measureLag(admin, naming, GROUP_BINDINGS.filter((b) => (RUNNING_GROUPS as readonly string[]).includes(b.group)));
  const lagAtEnd = Object.fromEntries(RUNNING_GROUPS.map((g) => [g, lagRows.filter((r) => r.group === naming.group(g)).reduce((sum, r) => sum + r.lag, 0)]));
  ctx.say(`posted ${total} in ${postingSeconds.toFixed(1)} s; lag at the end: ${JSON.stringify(lagAtEnd)}`);
  const drainStarted = performance.now();
  const deadline = Date.now() + 180_000;
  const open = () => probes.some((p) => p.timelineMs === undefined || p.storedMs === undefined);
  // Done when every probe was seen, or when both groups have handled every post: a tweet fanned out
  // behind TIMELINE_CAP newer ones is trimmed at once and can never be seen (counted as incomplete).
  const processed = service.app.metrics.consumers.processed;
  const caughtUp = async () => (await Promise.all(RUNNING_GROUPS.map((g) => groupCount(processed, g)))).every((n, i) => n >= before[i]! + total);
  while (open() && !(await caughtUp()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const drainMs = performance.now() - drainStarted;
  // One more look at everything still open, now that nothing is in flight.
  if (open()) await new Promise((r) => setTimeout(r, 500));
  await poll.stop();
  const missing = probes.filter((p) => p.timelineMs === undefined || p.storedMs === undefined);
  // A tweet delivered behind TIMELINE_CAP newer entries of that follower was trimmed at once: the
  // cap working, not a lost delivery. Anything else missing is a failure.
  let trimmedByCap = 0;
  for (const p of missing) {
    if (p.storedMs === undefined || !p.id) continue;
    const newer = await poller.zcount(keys.homeTimeline(p.follower), `(${snowflakeTime(p.id)}`, '+inf');
    if (newer >= service.config.timeline.cap) trimmedByCap++;
  }
  const incomplete = missing.length;
  const ackMs = summarize(probes.map((p) => p.ackMs!));
  const storedMs = summarize(probes.filter((p) => p.storedMs !== undefined).map((p) => p.storedMs!));
  const timelineMs = summarize(probes.filter((p) => p.timelineMs !== undefined).map((p) => p.timelineMs!));
  const achievedRate = Math.round(total / postingSeconds);
  ctx.say(`${rate}/s: ack p50 ${ackMs.p50} p99 ${ackMs.p99}; stored p50 ${storedMs.p50} p99 ${storedMs.p99}; timeline p50 ${timelineMs.p50} p99 ${timelineMs.p99} ms`);
  return { rate, seconds, posted: total, postingSeconds, achievedRate, ackMs, storedMs, timelineMs, lagAtEnd, drainMsAfterLastAck: Math.round(drainMs), incomplete, trimmedByCap, lag: lagRows, profile };
}

async function run(ctx: BenchContext): Promise<void> {
  const seconds = ctx.quick ? 10 : 20;
  const users = 2_000;
  const authorsCount = 100;
  const server = await ctx.startRedis('latency');
  const redis = benchRedis(server.url);
  const poller = benchRedis(server.url);
  const service = await startBenchService(ctx, {
    name: 'latency',
    redisUrl: server.url,
    roles: { api: true, consumers: [...RUNNING_GROUPS] },
    env: { MUTATION_RATE_LIMIT: '1000000' },
  });
  const admin = createKafkaAdmin(service.app.kafka);
  try {
    // Exponent 0: every user has exactly FOLLOWERS_EACH followers.
    const seeded = await seedData(
      redis,
      { ...DEFAULT_SEED_OPTIONS, users, maxFollowers: FOLLOWERS_EACH, exponent: 0, tweetsPerUser: 0, homeTimelines: false, handlePrefix: 'lat', now: Date.now(), activeShare: 1 },
      stderrProgress({ label: 'bench latency' }),
    );
    const authors = seededRandom(11).sample([...Array(users).keys()], authorsCount);
    const tokens = new Map(await Promise.all(authors.map(async (a) => [a, await service.tokens.issue(seeded.userIds[a]!)] as const)));
    const population: Population = { userIds: seeded.userIds, followersOf: (a) => rowOf(seeded.followers, a), authors, tokens };
    await admin.connect();
    // Warm-up: a few tweets, not measured.
    for (let i = 0; i < 20; i++) await graphql(service.url, POST, { t: `warm-up ${i}` }, tokens.get(authors[i % authorsCount]!)!);

    const runs = [];
    for (const rate of RATES) runs.push(await measureAtRate(ctx, service, admin, poller, population, rate, seconds));
    const main = runs[0]!;
    const targets: TargetCheck[] = runs.flatMap((r) => [
      { description: `posting rate held (${r.rate}/s)`, target: `${r.rate}/s`, measured: `${r.achievedRate}/s`, met: r.achievedRate >= r.rate * 0.97 },
      {
        description: `every probe seen stored and in its follower's timeline (${r.rate}/s)`,
        target: '100%',
        measured: `${r.posted - r.incomplete}/${r.posted}`,
        met: r.incomplete - r.trimmedByCap === 0,
        ...(r.trimmedByCap > 0 ? { note: `${r.trimmedByCap} not seen were delivered behind TIMELINE_CAP newer entries of that follower and trimmed at once` } : {}),
      },
      { description: `consumer lag when posting stops (${r.rate}/s; no numeric target)`, target: 'report', measured: JSON.stringify(r.lagAtEnd), met: true },
    ]);
    // The issue's targets, at the stated load: post → in a follower's timeline p99 ≤ 500 ms, and no
    // backlog: every probe seen within a second of the last acknowledged post (offsets are committed
    // every second, so the lag figure alone would count up to a second of handled messages).
    targets.unshift(
      { description: `post → in a follower's timeline, p99 (${main.rate}/s)`, target: '≤ 500 ms', measured: `${main.timelineMs.p99} ms`, met: main.timelineMs.p99 <= 500 },
      { description: `no backlog (${main.rate}/s): drained after the last ack`, target: '≤ 1 s', measured: `${main.drainMsAfterLastAck} ms`, met: main.drainMsAfterLastAck <= 1_000 },
    );
    const result = {
      name: 'latency',
      title: "Post → stored → in a follower's timeline",
      date: new Date().toISOString(),
      quick: ctx.quick,
      machine: ctx.machine,
      parameters: { rates: RATES, seconds, users, authors: authorsCount, followersEach: FOLLOWERS_EACH, pollIntervalMs: POLL_MS, partitions: service.config.kafka.partitions, groups: RUNNING_GROUPS },
      raw: { runs },
      ratios: { timelineP99OverAckP99: Number((main.timelineMs.p99 / main.ackMs.p99).toFixed(2)) },
      targets,
      notes: [
        `seed-data: ${users} users, exponent 0 (every user has exactly ${FOLLOWERS_EACH} followers); ${authorsCount} of them post in turn, over HTTP from this process. ${RATES[0]} tweets/s is the stated load (${RATES[0]! * FOLLOWERS_EACH} timeline deliveries/s); the lower rates show where this machine keeps up.`,
        `Times are from sending postTweet. "stored" = the tweet key exists (tweet-store group), "timeline" = the tweet is in one follower of the author chosen at random (fanout group): a poller on its own Redis connection checks every ${POLL_MS} ms with one pipeline of EXISTS/ZSCORE for at most 50 tweets in flight, in turn: resolution is about ${POLL_MS} ms plus a round trip while fewer are in flight, coarser under a backlog (its load stays bounded instead of growing with the backlog).`,
        "Only the API, tweet-store and fanout run, all in this one process (tagger, moderator, timeline-merge and taste would compete for the same 2 cores). Lag is the service's measureLag (committed vs end offsets) right after the last post was acknowledged; offsets are committed every second, so up to a second of handled messages counts as lag.",
        'The machine is shared and has 2 cores. Numbers are provisional.',
      ],
    };
    const svg = barPanels({
      title: `Post → ack → stored → in a follower's timeline (${FOLLOWERS_EACH} followers each)`,
      panels: runs.flatMap((r) => [
        { title: `p50 at ${r.rate}/s`, unit: 'ms', bars: [{ label: 'ack', value: r.ackMs.p50 }, { label: 'stored', value: r.storedMs.p50 }, { label: 'timeline', value: r.timelineMs.p50 }] },
        { title: `p99 at ${r.rate}/s`, unit: 'ms', bars: [{ label: 'ack', value: r.ackMs.p99 }, { label: 'stored', value: r.storedMs.p99 }, { label: 'timeline', value: r.timelineMs.p99 }] },
      ]),
    });
    ctx.say(`wrote ${await writeResult(ctx, 'latency', result, svg)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
    await service.stop();
    redis.disconnect();
    poller.disconnect();
    await server.stop();
  }
}

export const latencyBenchmark: Benchmark = { name: 'latency', run };
