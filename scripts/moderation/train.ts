/**
 * Rebuilds the offline moderator's classifier from public corpora (models/moderator/PROVENANCE.md).
 *
 *   npm run train:moderator -- --corpora /path/to/corpora [--heldout-hashes FILE] [--out FILE]
 *
 * Trains one logistic regression with three outputs (offensive: OLID train; hate: HatEval train;
 * spam: SMS Spam Collection train part, against ordinary tweets), then tunes each output's
 * thresholds on the validation splits for the targets: offensive precision ≥ 0.8, ordinary
 * texts (the corpora's negatives, and TweetEval's emotion, irony and emoji validation tweets)
 * hidden ≤ 1.5% (a margin under the 2% target). Writes models/moderator/model.json.gz.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { encodeSparseWeights } from '../../src/domain/linear/sparse-weights.js';
import { DEFAULT_FLAG_CATEGORIES } from '../../src/domain/moderation/categories.js';
import { moderationFeatures, type ModeratorModelFile } from '../../src/domain/moderation/classifier.js';
import { createAnalyser, verdictFrom, type Evidence } from '../../src/domain/moderation/offline-moderator.js';
import { DEFAULT_BLOCKLIST } from '../../src/domain/moderation/patterns.js';
import { DEFAULT_FTRL, trainFtrl, type Row } from '../lib/ftrl.js';
import { heldOutFilter } from '../tagger/corpora.js';
import { readOrdinaryTweets, readOrdinaryTweetsValidation, readSmsSpam, readTweetEvalTask, type LabelledText } from './corpora.js';
import { measureModeration, type ModerationFigures } from './measure.js';

const { values: args } = parseArgs({ options: { corpora: { type: 'string' }, 'heldout-hashes': { type: 'string' }, out: { type: 'string' } } });
const root = args.corpora ?? process.env.MODERATOR_CORPORA ?? process.env.TAGGER_CORPORA;
if (!root) {
  console.error('train-moderator: give --corpora DIR (or MODERATOR_CORPORA); models/moderator/PROVENANCE.md says what goes in it');
  process.exit(1);
}
const here = dirname(fileURLToPath(import.meta.url));
const out = args.out ?? join(here, '../../models/moderator/model.json.gz');
const keep = heldOutFilter(args['heldout-hashes'] ?? process.env.HELDOUT_HASHES);
const log = (...parts: unknown[]) => console.error(`[${(performance.now() / 1000).toFixed(0)}s]`, ...parts);
const kept = (xs: LabelledText[]) => xs.filter((x) => keep(x.text));

const olid = { train: kept(readTweetEvalTask(root, 'offensive', 'train')), val: kept(readTweetEvalTask(root, 'offensive', 'val')) };
const hatEval = { train: kept(readTweetEvalTask(root, 'hate', 'train')), val: kept(readTweetEvalTask(root, 'hate', 'val')) };
const sms = { train: kept(readSmsSpam(root, 'train')), val: kept(readSmsSpam(root, 'val')) };
const ordinaryTweets = readOrdinaryTweets(root).filter(keep);
const everydayTweetsVal = readOrdinaryTweetsValidation(root).filter(keep);
log(`OLID ${olid.train.length}/${olid.val.length}, HatEval ${hatEval.train.length}/${hatEval.val.length}, SMS ${sms.train.length}/${sms.val.length}, ordinary tweets ${ordinaryTweets.length}`);

// Labels per output: 1, 0, or -1 where the corpus says nothing (OLID does not say which
// offensive tweets are hateful; HatEval's non-hateful tweets may still be offensive).
type Example = { text: string; labels: [number, number, number]; weight: number };
const examples: Example[] = [
  ...olid.train.map((e) => ({ text: e.text, labels: [e.label, e.label === 0 ? 0 : -1, 0] as [number, number, number], weight: 1 })),
  ...hatEval.train.map((e) => ({ text: e.text, labels: [e.label === 1 ? 1 : -1, e.label, 0] as [number, number, number], weight: 1 })),
  ...sms.train.map((e) => ({ text: e.text, labels: [-1, -1, e.label] as [number, number, number], weight: 2 })),
  ...ordinaryTweets.map((text) => ({ text, labels: [-1, -1, 0] as [number, number, number], weight: 1 })),
];
const featureLists = examples.map((e) => moderationFeatures(e.text));
const counts = new Map<string, number>();
for (const f of featureLists) for (const k of f) counts.set(k, (counts.get(k) ?? 0) + 1);
const keys = [...counts].filter(([, c]) => c >= 2).map(([k]) => k);
const index = new Map(keys.map((k, i) => [k, i]));
const rows: Row[] = examples.map((e, i) => ({
  sparse: Int32Array.from(featureLists[i]!.map((k) => index.get(k)).filter((x): x is number => x !== undefined)),
  dense: null,
  labels: Int8Array.from(e.labels),
  weight: e.weight,
}));
log(`${rows.length} rows, ${keys.length} features`);
const model = trainFtrl(rows, 3, keys.length, 0, { ...DEFAULT_FTRL, l1: 0.3, epochs: 4 });

const base = {
  format: 'timeline-moderator/1' as const,
  outputs: ['offensive', 'hate', 'spam'] as ['offensive', 'hate', 'spam'],
  bias: Array.from(model.bias, (b) => Math.round(b * 1e4) / 1e4),
  sparse: encodeSparseWeights(keys, model.weights, 3),
};
const spamRules = { blocklist: DEFAULT_BLOCKLIST, maxLinks: 3, maxMentions: 5, maxRepeatedChars: 9 };
const ordinary = [...olid.val.filter((e) => e.label === 0), ...hatEval.val.filter((e) => e.label === 0), ...sms.val.filter((e) => e.label === 0)].map((e) => e.text);
// The detectors run once per validation text; tuning replays only thresholds and policy.
const analyse = createAnalyser({ ...base, thresholds: { offensive: 1, hate: 1, hateHigh: 1, spam: 1, spamHigh: 1 } }, spamRules);
const evidence = new Map<string, Evidence>();
for (const t of [...[...olid.val, ...hatEval.val, ...sms.val].map((e) => e.text), ...everydayTweetsVal]) if (!evidence.has(t)) evidence.set(t, analyse(t));
const figures = (thresholds: ModeratorModelFile['thresholds']): ModerationFigures =>
  measureModeration((t) => verdictFrom(evidence.get(t)!, thresholds, DEFAULT_FLAG_CATEGORIES), {
    offensive: olid.val,
    hate: hatEval.val,
    spam: sms.val,
    ordinary,
    tweets: everydayTweetsVal,
  });

const grid = (from: number, to: number, step: number) => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Math.round((from + i * step) * 1000) / 1000);
let th: ModeratorModelFile['thresholds'] = { offensive: 0.5, hate: 0.5, hateHigh: 0.9, spam: 0.5, spamHigh: 0.9 };

// Offensive language and hate labels together (a hate label also counts as offensive): the most
// recall of both at offensive precision ≥ 0.8 (the floor).
let best = -1;
for (const o of grid(0.3, 0.95, 0.025)) {
  for (const h of grid(0.2, 0.95, 0.025)) {
    const f = figures({ ...th, offensive: o, hate: h, hateHigh: 1 });
    const merit = (f.offensive.recall + f.hate.recall) / 2;
    if (f.offensive.precision >= 0.8 && merit > best) [best, th] = [merit, { ...th, offensive: o, hate: h }];
  }
}
if (best < 0) log('no thresholds reach offensive precision 0.8 on validation');
log('offensive', th.offensive, 'hate', th.hate, figures({ ...th, hateHigh: 1 }));
let bestFlagged = -1;
for (const t of grid(th.hate, 0.99, 0.01)) {
  const f = figures({ ...th, hateHigh: t });
  if (Math.max(f.ordinaryHidden.rate, f.ordinaryTweetsHidden?.rate ?? 0) <= 0.015 && f.hate.flaggedRecall > bestFlagged) [bestFlagged, th] = [f.hate.flaggedRecall, { ...th, hateHigh: t }];
}
log('hate', th.hate, th.hateHigh, figures(th).hate);
// Spam: the medium label at best F1; severe (with one pattern signal, offline-moderator.ts) at the
// most recall that keeps both SMS ham and everyday tweets hidden at most 1.5% of the time (the
// highest such threshold, so ties go to precision).
let bestF1 = -1;
for (const t of grid(0.2, 0.95, 0.025)) {
  const f = figures({ ...th, spam: t, spamHigh: Math.max(t, th.spamHigh) }).spam;
  if (f.f1 > bestF1) [bestF1, th] = [f.f1, { ...th, spam: t }];
}
let bestSpam = -1;
for (const t of grid(0.05, 0.99, 0.01)) {
  const f = figures({ ...th, spamHigh: t });
  const hidden = Math.max(f.ordinaryHidden.rate, f.ordinaryTweetsHidden?.rate ?? 0);
  if (hidden <= 0.015 && f.spam.recall >= bestSpam) [bestSpam, th] = [f.spam.recall, { ...th, spamHigh: t }];
}
const final = figures(th);
log('thresholds', th, JSON.stringify(final));

const file: ModeratorModelFile = {
  ...base,
  thresholds: th,
  provenance: { trainedAt: new Date().toISOString(), rows: rows.length, validation: final },
};
mkdirSync(dirname(out), { recursive: true });
const gz = gzipSync(JSON.stringify(file), { level: 9 });
writeFileSync(out, gz);
writeFileSync(join(dirname(out), 'training-report.json'), `${JSON.stringify({ thresholds: th, validation: final }, null, 2)}\n`);
log(`wrote ${out}: ${(gz.length / 1e6).toFixed(2)} MB, ${file.sparse.keys.length} features`);
