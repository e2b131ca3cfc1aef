import { readFile, writeFile } from 'node:fs/promises';
import type { BenchResult, TargetCheck } from './result-types.js';

/** 0.19 ms, 41 ms, 5.9 s */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Number(ms.toPrecision(ms < 1 ? 2 : 3))} ms`;
}
const count = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (header: string[], rows: (string | number)[][]) => [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

function targetsTable(targets: readonly TargetCheck[]): string {
  const verdict = (t: TargetCheck) => (t.met === 'not measured' ? 'not measured' : t.target === 'report' ? '—' : t.met ? '**met**' : '**missed**');
  return table(['target', 'wanted', 'measured', ''], targets.map((t) => [t.description, t.target, t.measured + (t.note ? ` (${t.note})` : ''), verdict(t)]));
}

function header(r: BenchResult): string {
  const m = r.machine;
  return `_${r.quick ? 'Quick' : 'Full'} run of ${r.date.slice(0, 10)} at commit ${m.gitCommit}: ${m.cores} cores (${m.cpuModel}), load average ${m.loadAverage[0]} at the start and ${m.loadAverageAtEnd[0]} at the end._`;
}

// The result JSON read back inside this module only; each renderer knows its benchmark's shape.
type Raw = Record<string, any>;

function fanout(r: BenchResult): string {
  const raw = r.raw as Raw;
  const rows = (raw.rows as Raw[]).map((x) => [
    count(x.followers),
    x.seedPublishedMs ? duration(x.seedPublishedMs) : '—',
    `${duration(x.naive.ms)}${x.naive.extrapolated ? ' (extrapolated)' : ''}`,
    duration(x.fanout.ms),
    duration(x.ceilingMs),
    `${Number((x.naive.ms / x.fanout.ms).toPrecision(3))}×`,
    count(x.fanout.deliveriesPerSecond),
  ]);
  const celebrity = raw.celebrity as Raw | null;
  const extra = celebrity
    ? `\n\nCelebrity (hybrid) post, ${count(celebrity.followers)} followers over a threshold of ${count(celebrity.threshold)}: ${duration(celebrity.ms)} from post to the fan-out group done.`
    : '\n\nCelebrity (hybrid) row: skipped, this build has no `FANOUT_CELEBRITY_THRESHOLD`.';
  const mb = (bytes: number | null) => (bytes === null || !Number.isFinite(bytes) ? '—' : `${(bytes / 2 ** 20).toFixed(1)} MB`);
  const partly = ((raw.partlyActive ?? []) as Raw[]).map((x) => [
    count(x.followers),
    count(x.activeFollowers),
    duration(x.ms),
    count(x.followersCoveredPerSecond),
    count(x.deliveriesPerSecond),
    mb(x.usedMemory),
    mb(x.allActiveUsedMemory),
  ]);
  const profile = raw.redisProfile as Raw | null;
  const hottest = profile
    ? Object.entries(profile.commands as Record<string, Raw>)
        .sort(([, a], [, b]) => b.usec - a.usec)
        .slice(0, 6)
        .map(([name, c]) => `${name.toUpperCase()} ${count(c.calls)} calls, ${(c.usec / 1000).toFixed(0)} ms (${c.usecPerCall} µs each)`)
        .join('; ')
    : null;
  return [
    header(r),
    '',
    table(['followers', 'seed article (published)', '(a) seed loop, here', '(b) our fan-out, end to end', '(c) ceiling', '(a) / (b)', '(b) deliveries/s'], rows),
    extra,
    '',
    `Ceiling (c): redis-benchmark -P 100 ZADD at ${count(raw.ceiling.zaddMedianRps)}/s; ZADD + ZREMRANGEBYRANK (what each delivery costs) ${count(raw.ceiling.pairRps)}/s.`,
    ...(partly.length > 0
      ? ['', `${Number(raw.activeShare) * 100}% of followers active (the rest seen before TIMELINE_ACTIVE_DAYS):`, '', table(['followers', 'active', '(b) end to end', 'followers covered/s', 'deliveries/s', 'Redis used_memory', 'same, all active'], partly)]
      : []),
    ...(hottest ? ['', `Where Redis spent the ${profile!.runs} measured fan-outs to ${count(profile!.followers)} followers (INFO commandstats, script-internal calls included): ${hottest}.`] : []),
    '',
    targetsTable(r.targets),
  ].join('\n');
}

function timelineRead(r: BenchResult): string {
  const raw = r.raw as Raw;
  const rows = (raw.variants as Raw[]).map((v) => [
    v.variant,
    count(v.saturated.requestsPerSecond),
    `${duration(v.saturated.latencyMs.p50)} / ${duration(v.saturated.latencyMs.p99)}`,
    count(v.atTargetRate.requestsPerSecond),
    `${duration(v.atTargetRate.latencyMs.p50)} / ${duration(v.atTargetRate.latencyMs.p99)}`,
  ]);
  const trivial = raw.trivial as Raw | undefined;
  if (trivial) rows.push([trivial.variant, count(trivial.saturated.requestsPerSecond), `${duration(trivial.saturated.latencyMs.p50)} / ${duration(trivial.saturated.latencyMs.p99)}`, '—', '—']);
  const p = r.parameters as Raw;
  return [
    header(r),
    '',
    table(['variant', 'saturated req/s', 'p50 / p99 saturated', `req/s offered ${count(p.targetRate)}`, `p50 / p99 at that rate`], rows),
    '',
    targetsTable(r.targets),
  ].join('\n');
}

function produce(r: BenchResult): string {
  const raw = r.raw as Raw;
  const ours = raw.postTweet as Raw;
  const c = raw.ceiling as Raw;
  return [
    header(r),
    '',
    table(['', 'messages/s', 'p50', 'p99'], [
      ['postTweet over HTTP (answered after the broker\'s ack)', count(ours.requestsPerSecond), duration(ours.latencyMs.p50), duration(ours.latencyMs.p99)],
      [`kafka-producer-perf-test, ${(r.parameters as Raw).recordSize}-byte records, acks=all`, count(c.recordsPerSecond), duration(c.p50Ms), duration(c.p99Ms)],
    ]),
    '',
    `postTweet reaches ${Number((r.ratios.throughputOursOverCeiling ?? NaN).toPrecision(2))}× of the broker's own producer benchmark.`,
  ].join('\n');
}

function latency(r: BenchResult): string {
  const raw = r.raw as Raw;
  const pair = (s: Raw) => `${duration(s.p50)} / ${duration(s.p99)}`;
  const rows = (raw.runs as Raw[]).map((x) => [
    `${x.rate}/s (${count(x.rate * (r.parameters as Raw).followersEach)} deliveries/s)`,
    `${x.achievedRate}/s`,
    pair(x.ackMs),
    pair(x.storedMs),
    pair(x.timelineMs),
    `${count(x.lagAtEnd['tweet-store'])} / ${count(x.lagAtEnd.fanout)}`,
    duration(x.drainMsAfterLastAck),
  ]);
  return [
    header(r),
    '',
    table(['tweets/s offered', 'held', 'ack p50 / p99', 'stored p50 / p99', 'in timeline p50 / p99', 'lag at end: tweet-store / fanout', 'drained after'], rows),
    '',
    targetsTable(r.targets.filter((t) => t.target !== 'report')),
  ].join('\n');
}

function memory(r: BenchResult): string {
  const raw = r.raw as Raw;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = (raw.populations as Raw[]).map((p) => [
    p.label,
    count(p.activeUsers),
    count(p.homeEntries),
    `${(p.usedMemory / 2 ** 20).toFixed(0)} MB`,
    count(p.bytesPerUser),
    p.timelineBytesPerActiveUser === null ? '—' : count(p.timelineBytesPerActiveUser),
  ]);
  const enc = raw.perEncoding as Record<string, Raw>;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const encRows = Object.entries(enc).map(([name, e]) => [name, kb(e.fullTimelineBytes), count(median(e.deliveriesPerSecond))]);
  const p = r.parameters as Raw;
  return [
    header(r),
    '',
    table(['population', 'active users', 'home entries', 'Redis used_memory', 'bytes per user', 'timeline bytes per active user'], rows),
    '',
    table(['sorted-set encoding', `one full timeline (${count(p.cap)} entries)`, 'fan-out into full timelines, deliveries/s'], encRows),
    '',
    `${Number(p.activeShare) * 100}% active uses ${r.ratios.usedMemoryPartlyOverAll}× the memory of every timeline materialised; the compact encoding ${r.ratios.usedMemoryCompactOverDefault}× (a full timeline ${r.ratios.fullTimelineCompactOverDefault}×) at ${r.ratios.insertRateCompactOverDefault}× the insert rate.`,
  ].join('\n');
}

function offlineModels(r: BenchResult): string {
  const raw = r.raw as Raw;
  const rows = ['lexicon', 'tagger', 'moderator'].map((k) => {
    const x = raw[k] as Raw;
    const name = k === 'lexicon' ? 'lexicon tagger (baseline)' : k === 'tagger' ? 'offline tagger (model)' : 'offline moderator';
    return [name, duration(x.loadMs), `${Math.round(x.rssAddedMb)} MB`, `${count(x.perSecond)}/s`];
  });
  return [header(r), '', table(['backend', 'load', 'resident memory added', 'texts/s, one core'], rows), '', targetsTable(r.targets)].join('\n');
}

const RENDERERS: Record<string, (r: BenchResult) => string> = { fanout, 'timeline-read': timelineRead, produce, latency, memory, 'offline-models': offlineModels };

/**
 * Replaces the text between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->` in the README with
 * tables made from the result, so a re-run of the suite updates the README by itself. Returns false
 * when the README has no such markers.
 */
export async function updateReadme(readmePath: string, result: BenchResult): Promise<boolean> {
  const render = RENDERERS[result.name];
  if (!render) return false;
  const text = await readFile(readmePath, 'utf8');
  const open = `<!-- bench:${result.name} -->`;
  const close = `<!-- /bench:${result.name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) return false;
  await writeFile(readmePath, `${text.slice(0, start + open.length)}\n${render(result)}\n${text.slice(end)}`);
  return true;
}
