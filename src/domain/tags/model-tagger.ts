import { z } from 'zod';
import { decodeSparseWeights, SparseWeightsFile } from '../linear/sparse-weights.js';
import { extractFeatures, type FeatureFamily } from './features.js';
import { TAG_GROUP_IDS, tagsOfGroup, type TagGroupId } from './tag-groups.js';
import { MAX_TAGS_PER_TWEET, type Tag } from './vocabulary.js';

/**
 * The trained tagger as stored (`models/tagger/model.json.gz`, written by `npm run train:tagger`):
 * one logistic regression per tag group over sparse text features and the mean word vector.
 *
 * The word-vector part is a table of similarities: for each of the 50,000 most frequent English
 * words, how close its GloVe vector is to each group's seed words (the lexicon's). A text's
 * similarity to a group is that of its closest word, and those 34 numbers are features of every
 * group's regression. Words never seen in training still land near their topic ("celtics" near
 * basketball), which is what carries a model trained mostly on news headlines over to tweets.
 * Weights and similarities are int8 with one scale per part.
 */
export const TaggerModelFile = z.object({
  format: z.literal('timeline-tagger/1'),
  groups: z.array(z.string()).min(1),
  bias: z.array(z.number()),
  sparse: SparseWeightsFile,
  similarity: z.object({
    scale: z.number().positive(),
    words: z.array(z.string()),
    /** words.length × groups.length int8 similarities (≥ 0), base64. */
    values: z.string(),
    /** groups.length × groups.length: weight of the similarity to group h in group g's score, at [h × G + g]. */
    weights: z.array(z.number()),
  }),
  decision: z.object({
    /** A group is reported when its probability reaches this… */
    threshold: z.number().min(0).max(1),
    /** …and at least this share of the best group's. */
    relative: z.number().min(0).max(1),
  }),
  provenance: z.record(z.string(), z.unknown()).optional(),
});
export type TaggerModelFile = z.infer<typeof TaggerModelFile>;

/** A group's probability for one text. */
export interface GroupScore {
  group: TagGroupId;
  probability: number;
}

/** A loaded model: pure functions of the text. */
export interface ModelTagger {
  /** Every group's probability, in model order; all 0 for a text with no word the model knows. */
  scores(text: string): GroupScore[];
  /**
   * 0 to `max` (default and ceiling 5) vocabulary tags, best group first, a group's tags
   * together in vocabulary order; none when no group passes the decision rule.
   */
  tag(text: string, options?: { max?: number }): Tag[];
}

function bytes(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

/**
 * Builds a tagger from a parsed model file. Throws (with what is wrong) when the file does not
 * fit together: unknown groups, or arrays of the wrong length.
 */
export function createModelTagger(file: TaggerModelFile): ModelTagger {
  const known = new Set<string>(TAG_GROUP_IDS);
  for (const g of file.groups) if (!known.has(g)) throw new Error(`tagger model names an unknown group ${g}`);
  const groups = file.groups as TagGroupId[];
  const G = groups.length;
  if (file.bias.length !== G) throw new Error('tagger model: bias length differs from groups');

  const addSparse = decodeSparseWeights(file.sparse, G);
  const families = new Set(file.sparse.keys.map((k) => ({ h: 'w', e: 'w' })[k[0] as 'h' | 'e'] ?? k[0]) as FeatureFamily[]);

  const simValues = new Int8Array(bytes(file.similarity.values));
  if (simValues.length !== file.similarity.words.length * G) throw new Error('tagger model: similarity table has the wrong size');
  if (file.similarity.weights.length !== G * G) throw new Error('tagger model: similarity weights have the wrong size');
  const wordIndex = new Map<string, number>();
  file.similarity.words.forEach((w, i) => wordIndex.set(w, i));
  const simWeights = Float64Array.from(file.similarity.weights);
  const simScale = file.similarity.scale;

  /** Null when the text has no word the model knows and no lexicon evidence: no evidence, no tags. */
  function logits(text: string): Float64Array | null {
    const { sparse, words } = extractFeatures(text, families);
    if (!sparse.some((f) => f.startsWith('x:')) && !words.some((w) => wordIndex.has(w))) return null;
    const z = Float64Array.from(file.bias);
    addSparse(sparse, z);
    const nearest = groupSimilarities(words, wordIndex, simValues, G);
    for (let h = 0; h < G; h++) {
      const x = nearest[h]! * simScale;
      if (x === 0) continue;
      for (let g = 0; g < G; g++) z[g]! += simWeights[h * G + g]! * x;
    }
    return z;
  }

  function scores(text: string): GroupScore[] {
    const z = logits(text);
    return groups.map((group, g) => ({ group, probability: z ? 1 / (1 + Math.exp(-z[g]!)) : 0 }));
  }

  return { scores, tag: (text, options = {}) => decide(scores(text), file.decision, options.max) };
}

/**
 * The decision rule on a text's group probabilities: groups at or above `threshold` and at least
 * `relative` × the best probability, best first, each contributing all its tags, cut at `max`
 * (default and ceiling 5) tags. Exported so training tunes exactly the rule that ships.
 */
export function decide(scores: readonly GroupScore[], decision: { threshold: number; relative: number }, max: number = MAX_TAGS_PER_TWEET): Tag[] {
  const limit = Number.isNaN(max) ? 0 : Math.max(0, Math.min(MAX_TAGS_PER_TWEET, Math.floor(max)));
  const ranked = [...scores].sort((a, b) => b.probability - a.probability);
  const best = ranked[0]?.probability ?? 0;
  const out: Tag[] = [];
  for (const { group, probability } of ranked) {
    if (out.length >= limit || probability < decision.threshold || probability < best * decision.relative) break;
    for (const tag of tagsOfGroup(group)) if (out.length < limit) out.push(tag);
  }
  return out;
}

/**
 * For each group, the highest similarity any of `words` has to it in the table (raw int8 units;
 * 0 when no word is in the table). Exported for training, which builds the same features.
 */
export function groupSimilarities(words: readonly string[], wordIndex: ReadonlyMap<string, number>, table: Int8Array, groups: number): Int8Array {
  const best = new Int8Array(groups);
  for (const w of words) {
    const i = wordIndex.get(w);
    if (i === undefined) continue;
    const base = i * groups;
    for (let g = 0; g < groups; g++) if (table[base + g]! > best[g]!) best[g] = table[base + g]!;
  }
  return best;
}
