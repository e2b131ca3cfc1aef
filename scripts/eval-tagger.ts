/**
 * Scores the offline lexicon tagger against the hand-labelled fixture.
 *
 *   npx tsx scripts/eval-tagger.ts [path/to/labeled-tweets.json]
 *
 * Prints precision/recall/F1 per split and the five weakest tags on the tune split (tuning
 * must only ever look at that split; holdout is the honest estimate). Exits 1 when the fixture
 * is unreadable or malformed, so a broken fixture cannot masquerade as a score.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluateTagger, parseLabeledTweets, scores, SPLITS } from './eval-tagger/evaluate.js';
import { tagWithLexicon } from '../src/domain/tags/lexicon-tagger.js';
import { TAG_VOCABULARY } from '../src/domain/tags/vocabulary.js';

const fixturePath = process.argv[2] ?? fileURLToPath(new URL('../fixtures/tagger/labeled-tweets.json', import.meta.url));

function fail(message: string): never {
  console.error(`eval-tagger: ${message}`);
  process.exit(1);
}

let data: unknown;
try {
  data = JSON.parse(readFileSync(fixturePath, 'utf8'));
} catch (err) {
  fail(`cannot read ${fixturePath}: ${err instanceof Error ? err.message : String(err)}`);
}
const parsed = parseLabeledTweets(data);
if (!parsed.ok) fail(`malformed fixture ${fixturePath}:\n  ${parsed.errors.join('\n  ')}`);

const fmt = (x: number) => x.toFixed(3);
const tagger = (text: string) => tagWithLexicon(text);

console.log('split     n    precision  recall  F1');
for (const split of SPLITS) {
  const r = evaluateTagger(
    tagger,
    parsed.examples.filter((e) => e.split === split),
  );
  console.log(`${split.padEnd(8)} ${String(r.examples).padStart(3)}   ${fmt(r.precision)}      ${fmt(r.recall)}   ${fmt(r.f1)}`);
}

const tune = evaluateTagger(
  tagger,
  parsed.examples.filter((e) => e.split === 'tune'),
);
const worst = TAG_VOCABULARY.map((tag) => ({ tag, ...tune.perTag[tag], f1: scores(tune.perTag[tag]).f1 }))
  .sort((a, b) => a.f1 - b.f1 || b.fn + b.fp - (a.fn + a.fp))
  .slice(0, 5);
console.log('\nworst tags on tune:');
for (const w of worst) {
  console.log(`  ${w.tag.padEnd(24)} F1 ${fmt(w.f1)}  tp ${w.tp}  fp ${w.fp}  fn ${w.fn}`);
}
