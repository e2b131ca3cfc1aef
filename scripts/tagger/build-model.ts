/**
 * Turns labelled texts into the shipped model file: features → FTRL logistic regression per tag
 * group → int8 model (`TaggerModelFile`), which `createModelTagger` loads as the service does.
 */
import { extractFeatures, type TextFeatures } from '../../src/domain/tags/features.js';
import { encodeSparseWeights } from '../../src/domain/linear/sparse-weights.js';
import { groupSimilarities, type TaggerModelFile } from '../../src/domain/tags/model-tagger.js';
import { TAG_GROUP_IDS } from '../../src/domain/tags/tag-groups.js';
import type { TrainingText } from './corpora.js';
import type { SimilarityTable } from './similarity.js';
import { DEFAULT_FTRL, trainFtrl, type FtrlOptions, type Row } from '../lib/ftrl.js';

/** What a training run may use: the levers the README compares. */
export interface ModelConfig {
  /** Sparse feature families by prefix: w (words, hashtags, emoji), b (bigrams), c (character n-grams), x (lexicon groups). */
  families: ReadonlySet<'w' | 'b' | 'c' | 'x'>;
  /** Each group's nearest-word similarity (word vectors) as dense features. */
  vectors: boolean;
  /** Weight of each source's examples; a source absent or 0 is not used. */
  sourceWeights: Readonly<Partial<Record<TrainingText['source'], number>>>;
  /** Sparse features seen in fewer training texts are dropped. */
  minCount: number;
  ftrl: FtrlOptions;
}

/**
 * What ships: the lexicon's groups and the word-vector similarities as features, all data. Word,
 * bigram and character n-gram features learnt from headlines did not carry over to tweets
 * (README, "How good is the offline tagger?"), and leaving them out keeps the model small.
 */
export const CHOSEN_CONFIG: ModelConfig = {
  families: new Set(['x']),
  vectors: true,
  sourceWeights: { tweettopic: 3, huffpost: 1, hashtags: 1, quiet: 0.5 },
  minCount: 2,
  ftrl: DEFAULT_FTRL,
};

const FAMILY_OF: Record<string, 'w' | 'b' | 'c' | 'x'> = { w: 'w', h: 'w', e: 'w', b: 'b', c: 'c', x: 'x' };


const featureCache = new Map<string, TextFeatures>();
/** Features of a text, computed once per process (the lexicon pass is the slow part). */
export function featuresOf(text: string): TextFeatures {
  let f = featureCache.get(text);
  if (!f) {
    f = extractFeatures(text);
    featureCache.set(text, f);
  }
  return f;
}

function int8(values: Float64Array | number[]): { scale: number; bytes: Int8Array } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const scale = max === 0 ? 1 : max / 127;
  return { scale, bytes: Int8Array.from(values, (v) => Math.round(v / scale)) };
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/**
 * Trains on `examples` and returns the model file (decision rule as given; tune it afterwards
 * with out-of-fold scores). Deterministic for a given input and `config.ftrl.seed`.
 */
export function buildModel(
  examples: readonly TrainingText[],
  config: ModelConfig,
  table: SimilarityTable,
  decision: TaggerModelFile['decision'],
  provenance?: Record<string, unknown>,
): TaggerModelFile {
  const used = examples.filter((e) => (config.sourceWeights[e.source] ?? 0) > 0);
  const counts = new Map<string, number>();
  const featureLists = used.map((e) => {
    const f = featuresOf(e.text).sparse.filter((k) => config.families.has(FAMILY_OF[k[0]!]!));
    for (const k of f) counts.set(k, (counts.get(k) ?? 0) + 1);
    return f;
  });
  const keys = [...counts].filter(([, c]) => c >= config.minCount).map(([k]) => k);
  const index = new Map(keys.map((k, i) => [k, i]));
  const G = TAG_GROUP_IDS.length;
  const dims = config.vectors ? G : 0;
  const rows: Row[] = used.map((e, i) => {
    const sparse = Int32Array.from(featureLists[i]!.map((k) => index.get(k)).filter((x): x is number => x !== undefined));
    const labels = Int8Array.from(TAG_GROUP_IDS, (g) => e.labels.get(g) ?? -1);
    const dense = dims > 0 ? Float32Array.from(groupSimilarities(featuresOf(e.text).words, table.index, table.values, G), (x) => x * table.scale) : null;
    return { sparse, dense, labels, weight: config.sourceWeights[e.source]! };
  });
  const model = trainFtrl(rows, G, keys.length, dims, config.ftrl);

  const sparse = encodeSparseWeights(keys, model.weights, G);

  const simWeights = dims > 0 ? Array.from(model.weights.subarray(keys.length * G), (w) => Math.round(w * 1e5) / 1e5) : new Array<number>(G * G).fill(0);
  return {
    format: 'timeline-tagger/1',
    groups: [...TAG_GROUP_IDS],
    bias: Array.from(model.bias, (b) => Math.round(b * 1e4) / 1e4),
    sparse,
    similarity: dims > 0
      ? { scale: table.scale, words: table.words, values: b64(table.values), weights: simWeights }
      : { scale: 1, words: [], values: '', weights: simWeights },
    decision,
    ...(provenance ? { provenance } : {}),
  };
}
