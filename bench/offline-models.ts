/**
 * Offline models: the trained tagger and the offline moderator as the tagger and moderator groups
 * run them — load time from the committed files, resident memory they add, and texts per second
 * on one core — against the hand-written lexicon tagger measured in the same run. Needs no broker.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, Benchmark } from './lib/context.js';
import { writeResult, type TargetCheck } from './lib/results.js';
import { sig } from './lib/stats.js';
import { barPanels } from './lib/svg.js';

interface WorkerResult {
  which: 'tagger' | 'lexicon' | 'moderator';
  loadMs: number;
  rssAddedMb: number;
  peakRssMb: number;
  texts: number;
  perSecond: number;
}

/** Tweet-like texts: the hand-written fixtures (no corpus text is committed). */
function benchTexts(rootDir: string): string[] {
  const read = (f: string) => JSON.parse(readFileSync(join(rootDir, 'fixtures', f), 'utf8')) as { text: string }[];
  return [...read('tagger/labeled-tweets.json'), ...read('tagger/topic-tweets.json'), ...read('moderation/labelled.json')].map((r) => r.text);
}

function measure(ctx: BenchContext, which: WorkerResult['which'], textsFile: string, seconds: number): Promise<WorkerResult> {
  const child = fork(join(import.meta.dirname, 'lib', 'model-worker.ts'), [which, textsFile, String(seconds)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: WorkerResult) => resolve(m));
    child.once('exit', (code) => code !== 0 && reject(new Error(`${which} worker exited with ${code}`)));
    child.once('error', reject);
  });
}

async function run(ctx: BenchContext): Promise<void> {
  const seconds = ctx.quick ? 3 : 10;
  const texts = benchTexts(ctx.rootDir);
  const textsFile = join(ctx.tmpDir, 'offline-models-texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));
  const results: WorkerResult[] = [];
  for (const which of ['lexicon', 'tagger', 'moderator'] as const) {
    ctx.say(`${which}: loading and running for ${seconds} s`);
    const r = await measure(ctx, which, textsFile, seconds);
    ctx.say(`${which}: loaded in ${r.loadMs.toFixed(0)} ms, +${r.rssAddedMb.toFixed(0)} MB resident, ${Math.round(r.perSecond)} texts/s`);
    results.push(r);
  }
  const [lexicon, tagger, moderator] = results as [WorkerResult, WorkerResult, WorkerResult];
  const ratios = {
    taggerOverLexiconThroughput: sig(tagger.perSecond / lexicon.perSecond, 3),
    taggerHeadroomAt200PerSecond: sig(tagger.perSecond / 200, 3),
    moderatorHeadroomAt200PerSecond: sig(moderator.perSecond / 200, 3),
  };
  const targets: TargetCheck[] = [
    ...[tagger, moderator].flatMap((r) => [
      { description: `${r.which}: load from the committed model file`, target: '< 2 s', measured: `${Math.round(r.loadMs)} ms`, met: r.loadMs < 2000 },
      { description: `${r.which}: resident memory added`, target: '< 300 MB', measured: `${r.rssAddedMb.toFixed(0)} MB`, met: r.rssAddedMb < 300 },
      { description: `${r.which}: texts per second on one core`, target: '≥ 2,000/s', measured: `${Math.round(r.perSecond).toLocaleString('en-US')}/s`, met: r.perSecond >= 2000 },
    ]),
    {
      description: 'tagger group at 200 tweets/s (one core)',
      target: 'room to spare',
      measured: `${ratios.taggerHeadroomAt200PerSecond}× the rate`,
      met: tagger.perSecond >= 400,
    },
  ];
  const result = {
    name: 'offline-models',
    title: 'Offline models: load time, memory and throughput',
    date: new Date().toISOString(),
    quick: ctx.quick,
    machine: ctx.machine,
    parameters: { seconds, texts: texts.length, textSource: 'fixtures/tagger/*.json and fixtures/moderation/labelled.json, cycled' },
    raw: { lexicon, tagger, moderator },
    ratios,
    targets,
    notes: [
      'Each backend runs alone in a child process (node --expose-gc): resident memory is measured after a GC before and after loading the committed model file (gunzip, JSON parse, schema check, index building) and tagging one text.',
      'Throughput is one core, one text at a time, as a consumer handler calls it, after a warm-up.',
      'The machine is shared and has 2 cores. Numbers are provisional.',
    ],
  };
  const svg = barPanels({
    title: 'Offline models: texts per second on one core (lexicon = the hand-written baseline)',
    panels: [
      { title: 'throughput', unit: '/s', bars: results.map((r) => ({ label: r.which, value: Math.round(r.perSecond) })) },
      { title: 'load time', unit: 'ms', bars: results.map((r) => ({ label: r.which, value: Math.round(r.loadMs) })) },
      { title: 'memory added', unit: 'MB', bars: results.map((r) => ({ label: r.which, value: Math.round(r.rssAddedMb) })) },
    ],
  });
  ctx.say(`wrote ${await writeResult(ctx, 'offline-models', result, svg)}`);
}

export const offlineModelsBenchmark: Benchmark = { name: 'offline-models', run, needsKafka: false };
