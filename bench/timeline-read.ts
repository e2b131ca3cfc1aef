/**
 * Timeline read: `homeTimeline(first: 20)` under load (autocannon, in its own process, many
 * distinct users), the shipped server (DataLoader: one MGET for the page's tweets, one for their
 * authors) against the same server whose loaders make one Redis call per tweet and per author.
 */
import { join } from 'node:path';
import { DEFAULT_SEED_OPTIONS, seedData } from '../scripts/seed/seed-data.js';
import { stderrProgress } from '../scripts/seed/progress.js';
import type { BenchContext, Benchmark } from './lib/context.js';
import { benchRedis } from './lib/redis.js';
import { runLoad, writeTokens, type LoadResult } from './lib/load.js';
import { profileCpu, type HotFunction } from './lib/profile.js';
import { writeResult, type TargetCheck } from './lib/results.js';
import { graphql, startBenchService } from './lib/service.js';
import { median, sig } from './lib/stats.js';
import { barPanels } from './lib/svg.js';

const QUERY = 'query { homeTimeline(first: 20) { edges { cursor node { id text createdAt author { id handle } } } pageInfo { hasNextPage endCursor } } }';
/** The same server's floor: HTTP, Apollo's request pipeline and an execution that touches nothing. */
const TRIVIAL = 'query { __typename }';
const TRIVIAL_VARIANT = '{ __typename }, same server';
const TARGET_RATE = 2_000;
const ROUNDS = 3;

interface VariantResult {
  variant: string;
  /** As fast as the server answers. */
  saturated: LoadResult;
  /** At a fixed TARGET_RATE requests/s offered (when the variant can sustain it). */
  atTargetRate: LoadResult;
  /** Every round, in order. */
  rounds: { saturated: LoadResult[]; atTargetRate: LoadResult[] };
}

async function run(ctx: BenchContext): Promise<void> {
  const users = ctx.quick ? 5_000 : 20_000;
  const roundSeconds = ctx.quick ? 4 : 8;
  const connections = 32;
  const server = await ctx.startRedis('timeline-read');
  const redis = benchRedis(server.url);
  const stops: (() => Promise<void>)[] = [];
  try {
    const seeded = await seedData(
      redis,
      // Every reader active: this measures the read of a materialised timeline (a returning reader's is test-covered).
      { ...DEFAULT_SEED_OPTIONS, users, maxFollowers: Math.floor(users / 10), exponent: 0.5, tweetsPerUser: 10, homeTimelines: true, handlePrefix: 'read', now: Date.now(), activeShare: 1 },
      stderrProgress({ label: 'bench timeline-read' }),
    );
    const readers = Math.min(users, 5_000);
    let profile: { hottest: HotFunction[]; packages: Record<string, number> } | null = null;
    // Both variants run side by side and take turns (A B, B A, A B): on a shared, noisy machine a
    // drift in background load then hits both alike. Each variant's figure is its median round.
    const setups = await Promise.all(
      ([['batched (shipped)', true], ['separate loads', false]] as const).map(async ([variant, batch]) => {
        const service = await startBenchService(ctx, { name: `timeline-read-${batch ? 'batched' : 'separate'}`, redisUrl: server.url, roles: { api: true, consumers: [] }, internal: { loaders: { batch } } });
        stops.push(() => service.stop());
        const tokens = await Promise.all(seeded.userIds.slice(0, readers).map((id) => service.tokens.issue(id)));
        const sample = await graphql<{ homeTimeline: { edges: unknown[] } }>(service.url, QUERY, {}, tokens[0]);
        if (sample.homeTimeline.edges.length !== 20) throw new Error(`expected a full page of 20, got ${sample.homeTimeline.edges.length}`);
        const tokensFile = await writeTokens(ctx.tmpDir, `timeline-read-${batch ? 'batched' : 'separate'}`, tokens);
        return { variant, batch, spec: { url: service.url, tokensFile, query: QUERY, connections } };
      }),
    ).then((s) => [...s, { variant: TRIVIAL_VARIANT, batch: null, spec: { ...s[0]!.spec, query: TRIVIAL } }]);
    for (const { variant, spec } of setups) {
      ctx.say(`${variant}: warm-up`);
      await runLoad({ ...spec, durationSeconds: 3 });
    }
    const check = (variant: string, r: LoadResult) => {
      if (r.graphqlErrors + r.non2xx + r.errors > 0) throw new Error(`${variant}: errors under load: ${JSON.stringify({ ...r, latencyMs: undefined })}`);
      return r;
    };
    const roundsOf = new Map<string, { saturated: LoadResult[]; atTargetRate: LoadResult[] }>(setups.map((x) => [x.variant, { saturated: [], atTargetRate: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? setups : [...setups].reverse();
      for (const { variant, batch, spec } of order) {
        const load = () => runLoad({ ...spec, durationSeconds: roundSeconds });
        const profiled = ctx.profile && batch && round === 0 ? await profileCpu(join(ctx.tmpDir, 'timeline-read.cpuprofile'), load) : null;
        if (profiled) profile = { hottest: profiled.hottest, packages: profiled.packages };
        const saturated = check(variant, profiled ? profiled.value : await load());
        roundsOf.get(variant)!.saturated.push(saturated);
        ctx.say(`round ${round + 1}/${ROUNDS}, ${variant}: saturated ${saturated.requestsPerSecond} req/s, p99 ${saturated.latencyMs.p99} ms`);
      }
      for (const { variant, spec, batch } of order) {
        if (batch === null) continue; // the floor is measured saturated only
        const atTargetRate = check(variant, await runLoad({ ...spec, durationSeconds: roundSeconds, overallRate: TARGET_RATE, connections: 64 }));
        roundsOf.get(variant)!.atTargetRate.push(atTargetRate);
        ctx.say(`round ${round + 1}/${ROUNDS}, ${variant}: offered ${TARGET_RATE}: ${atTargetRate.requestsPerSecond} req/s, p50 ${atTargetRate.latencyMs.p50} ms, p99 ${atTargetRate.latencyMs.p99} ms`);
      }
    }
    const medianRound = (runs: LoadResult[]) => [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(runs.length / 2)]!;
    const variants: VariantResult[] = setups.filter((x) => x.batch !== null).map(({ variant }) => {
      const r = roundsOf.get(variant)!;
      return { variant, saturated: medianRound(r.saturated), atTargetRate: medianRound(r.atTargetRate), rounds: r };
    });
    const [batched, separate] = variants as [VariantResult, VariantResult];
    const trivialRounds = roundsOf.get(TRIVIAL_VARIANT)!.saturated;
    const trivial = { variant: TRIVIAL_VARIANT, saturated: medianRound(trivialRounds), rounds: trivialRounds };
    // Per round, the page against the floor measured right next to it; the median of those.
    const perRound = roundsOf.get(batched.variant)!.saturated.map((r, i) => r.requestsPerSecond / trivialRounds[i]!.requestsPerSecond);
    const ratios = {
      throughputBatchedOverSeparate: sig(batched.saturated.requestsPerSecond / separate.saturated.requestsPerSecond, 3),
      p99AtTargetSeparateOverBatched: sig(separate.atTargetRate.latencyMs.p99 / batched.atTargetRate.latencyMs.p99, 3),
      homeTimelineOverTypename: sig(median(perRound), 3),
    };
    const sustained = (r: LoadResult) => r.requestsPerSecond >= TARGET_RATE * 0.98;
    const targets: TargetCheck[] = [
      {
        description: 'homeTimeline(first: 20) vs `{ __typename }` on the same server, saturated',
        target: '≥ 0.6×',
        measured: `${ratios.homeTimelineOverTypename}× (${batched.saturated.requestsPerSecond} vs ${trivial.saturated.requestsPerSecond} req/s, median of per-round ratios)`,
        met: ratios.homeTimelineOverTypename >= 0.6,
      },
      {
        description: `p99 at ${TARGET_RATE} requests/s (batched)`,
        target: `≤ 10 ms at ≥ ${TARGET_RATE} req/s`,
        measured: `p99 ${batched.atTargetRate.latencyMs.p99} ms at ${batched.atTargetRate.requestsPerSecond} req/s`,
        met: batched.atTargetRate.latencyMs.p99 <= 10 && sustained(batched.atTargetRate),
      },
      {
        description: 'throughput, batched vs separate loads',
        target: '≥ 5×',
        measured: `${ratios.throughputBatchedOverSeparate}×`,
        met: ratios.throughputBatchedOverSeparate >= 5,
      },
    ];
    const result = {
      name: 'timeline-read',
      title: 'Timeline read: homeTimeline(first: 20) under load',
      date: new Date().toISOString(),
      quick: ctx.quick,
      machine: ctx.machine,
      parameters: { users, readers, rounds: ROUNDS, roundSeconds, connections, targetRate: TARGET_RATE, query: QUERY, graph: { edges: seeded.edges, tweets: seeded.tweets, homeEntries: seeded.homeEntries } },
      raw: { variants, trivial, perRoundRatios: perRound.map((x) => sig(x, 3)), profile },
      ratios,
      targets,
      notes: [
        `seed-data: ${users} users, power law (exponent 0.5, max ${Math.floor(users / 10)} followers), 10 tweets each, full home timelines; ${readers} distinct readers, each request with the next reader's token.`,
        `autocannon runs in a child process; latency is per request, client side (float ms from autocannon response events). Only the API role runs (no consumers). Both variants run at once on the same Redis and take turns, ${ROUNDS} rounds of ${roundSeconds} s each (A B, B A, A B); each figure is the variant's median round, all rounds are in raw.`,
        `${TRIVIAL_VARIANT} is ${TRIVIAL} sent to the batched server, with the same tokens, in the same rounds: what HTTP, Apollo's request pipeline and an empty execution cost there; the target ratio is homeTimeline against it, round by round (saturated only).`,
        'The separate-loads variant is the same server with DataLoader batching off (an internal startApp option): one MGET per tweet (tweet, tags, verdict) and one GET-like MGET per distinct author. ioredis auto-pipelining still coalesces those commands into few socket writes.',
        'The machine is shared and has 2 cores: server, Redis and load generator share them. Numbers are provisional.',
      ],
    };
    const svg = barPanels({
      title: 'homeTimeline(first: 20): batched loads vs one call per tweet and author',
      panels: [
        { title: 'saturated throughput', unit: 'req/s', bars: [...variants, trivial].map((v) => ({ label: v.variant, value: v.saturated.requestsPerSecond })) },
        { title: `p50 at ${TARGET_RATE} req/s`, unit: 'ms', bars: variants.map((v) => ({ label: v.variant, value: v.atTargetRate.latencyMs.p50 })) },
        { title: `p99 at ${TARGET_RATE} req/s`, unit: 'ms', bars: variants.map((v) => ({ label: v.variant, value: v.atTargetRate.latencyMs.p99 })) },
      ],
    });
    ctx.say(`wrote ${await writeResult(ctx, 'timeline-read', result, svg)}`);
  } finally {
    for (const stop of stops) await stop();
    redis.disconnect();
    await server.stop();
  }
}

export const timelineReadBenchmark: Benchmark = { name: 'timeline-read', run };
