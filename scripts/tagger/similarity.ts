/**
 * The word-to-group similarity table the model ships instead of word vectors: for each word of
 * GloVe's most frequent, the mean cosine of its three closest seed words of each group, less that
 * word's average over all groups (doubled, clipped to [0, 1]). Seeds are
 * the hand-written lexicon's single-word strong entries, so the table generalises the lexicon to
 * the words near it in GloVe's space.
 */
import { TOPICS } from '../../src/domain/tags/lexicon-data.js';
import { groupOfTag, TAG_GROUP_IDS, type TagGroupId } from '../../src/domain/tags/tag-groups.js';
import type { Tag } from '../../src/domain/tags/vocabulary.js';

export interface SimilarityTable {
  words: string[];
  index: Map<string, number>;
  /** words × groups, int8, similarity × 127 (negative similarities are 0). */
  values: Int8Array;
  scale: number;
}

/** Single-word strong entries of the lexicon, per group. */
export function seedWords(): Map<TagGroupId, string[]> {
  const seeds = new Map<TagGroupId, Set<string>>();
  for (const topic of TOPICS) {
    const groups = new Set(topic.tags.map((t) => groupOfTag(t as Tag)));
    for (const entry of topic.strong.split(',')) {
      const word = entry.trim().toLowerCase().replace(/^=/, '');
      if (!/^[a-z]{3,}$/.test(word)) continue;
      for (const g of groups) seeds.set(g, (seeds.get(g) ?? new Set()).add(word));
    }
  }
  return new Map([...seeds].map(([g, s]) => [g, [...s]]));
}

const TOP = 3;

export function buildSimilarityTable(vectors: ReadonlyMap<string, Float32Array>): SimilarityTable {
  const words = [...vectors.keys()];
  const dims = vectors.values().next().value!.length;
  const unit = (v: Float32Array) => {
    let n = 0;
    for (const x of v) n += x * x;
    n = Math.sqrt(n) || 1;
    return Float32Array.from(v, (x) => x / n);
  };
  const normalised = words.map((w) => unit(vectors.get(w)!));
  const seeds = seedWords();
  const G = TAG_GROUP_IDS.length;
  const seedVectors = TAG_GROUP_IDS.map((g) => (seeds.get(g) ?? []).filter((w) => vectors.has(w)).map((w) => unit(vectors.get(w)!)));
  const values = new Int8Array(words.length * G);
  const top = new Float64Array(TOP);
  const raw = new Float64Array(G);
  normalised.forEach((v, i) => {
    for (let g = 0; g < G; g++) {
      top.fill(-1);
      for (const s of seedVectors[g]!) {
        let dot = 0;
        for (let d = 0; d < dims; d++) dot += v[d]! * s[d]!;
        if (dot > top[TOP - 1]!) {
          let k = TOP - 1;
          while (k > 0 && dot > top[k - 1]!) {
            top[k] = top[k - 1]!;
            k--;
          }
          top[k] = dot;
        }
      }
      let sum = 0;
      let n = 0;
      for (const t of top) if (t > -1) (sum += t), n++;
      raw[g] = n === 0 ? 0 : sum / n;
    }
    // A word close to every group ("guy", "love", "great") says nothing about any one of them:
    // what is kept is how much closer it is to this group than to the average group.
    let mean = 0;
    for (let g = 0; g < G; g++) mean += raw[g]!;
    mean /= G;
    for (let g = 0; g < G; g++) values[i * G + g] = Math.max(0, Math.min(127, Math.round((raw[g]! - mean) * 2 * 127)));
  });
  return { words, index: new Map(words.map((w, i) => [w, i])), values, scale: 1 / 127 };
}
