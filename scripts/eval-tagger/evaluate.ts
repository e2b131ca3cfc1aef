import { isTag, MAX_TAGS_PER_TWEET, TAG_VOCABULARY, type Tag } from '../../src/domain/tags/vocabulary.js';

/** A gold-labelled tweet. `tags` is the gold set; its order is not used for scoring. */
export interface LabeledExample {
  text: string;
  tags: string[];
}

/** Per-tag confusion counts over (tweet, tag) pairs. */
export interface TagCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** Micro-averaged scores plus the per-tag counts they were summed from. */
export interface TaggerEvaluation {
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples evaluated. */
  examples: number;
  perTag: Record<Tag, TagCounts>;
}

/**
 * Scores `tagger` against gold labels, micro-averaged over (tweet, tag) pairs: every predicted
 * tag that is in the gold set is a true positive, every other predicted tag a false positive,
 * every gold tag not predicted a false negative. Rank order is ignored, duplicates count once.
 *
 * Gold strings outside the vocabulary still count as false negatives in the totals (a tagger
 * cannot be credited for them) but have no `perTag` row. A ratio with a zero denominator is 0,
 * so a tagger that predicts nothing scores precision 0, not a vacuous 1.
 */
export function evaluateTagger(tagger: (text: string) => Tag[], examples: readonly LabeledExample[]): TaggerEvaluation {
  const perTag = Object.fromEntries(TAG_VOCABULARY.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<Tag, TagCounts>;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const example of examples) {
    const gold = new Set(example.tags);
    const predicted = new Set(tagger(example.text));
    for (const tag of predicted) {
      if (gold.has(tag)) {
        tp++;
        perTag[tag].tp++;
      } else {
        fp++;
        perTag[tag].fp++;
      }
    }
    for (const tag of gold) {
      if (predicted.has(tag as Tag)) continue;
      fn++;
      if (isTag(tag)) perTag[tag].fn++;
    }
  }
  const { precision, recall, f1 } = scores({ tp, fp, fn });
  return { precision, recall, f1, examples: examples.length, perTag };
}

/** Precision, recall and F1 of one set of counts; 0 wherever the denominator is 0. */
export function scores(c: TagCounts): { precision: number; recall: number; f1: number } {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
}

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

export const SPLITS = ['tune', 'holdout'] as const;
export type Split = (typeof SPLITS)[number];

/** A fixture row: a labelled tweet assigned to the split it may be used for. */
export interface SplitExample {
  text: string;
  tags: Tag[];
  split: Split;
}

/**
 * The fixture's coverage contract: every tag is gold in at least this many tweets of each
 * split, so per-split scores say something about every tag.
 */
export const MIN_EXAMPLES_PER_TAG_PER_SPLIT = 3;

/**
 * Validates the parsed labelled-tweets fixture. Returns the rows when well-formed, otherwise
 * every problem found (row shape, non-vocabulary or duplicate tags, 1..5 tags per row, unknown
 * split, and tags with fewer than {@link MIN_EXAMPLES_PER_TAG_PER_SPLIT} examples in a split),
 * so a broken fixture fails loudly instead of quietly inflating or deflating scores.
 */
export function parseLabeledTweets(data: unknown): { ok: true; examples: SplitExample[] } | { ok: false; errors: string[] } {
  if (!Array.isArray(data)) return { ok: false, errors: ['fixture must be a JSON array'] };
  const errors: string[] = [];
  const examples: SplitExample[] = [];
  data.forEach((row: unknown, i) => {
    const at = `row ${i}`;
    if (typeof row !== 'object' || row === null) {
      errors.push(`${at}: not an object`);
      return;
    }
    const { text, tags, split } = row as Record<string, unknown>;
    if (typeof text !== 'string' || text.trim() === '') errors.push(`${at}: text must be a non-empty string`);
    if (split !== 'tune' && split !== 'holdout') errors.push(`${at}: split must be "tune" or "holdout"`);
    if (!Array.isArray(tags) || tags.length < 1 || tags.length > MAX_TAGS_PER_TWEET) {
      errors.push(`${at}: tags must be an array of 1..${MAX_TAGS_PER_TWEET} tags`);
      return;
    }
    const valid: Tag[] = [];
    for (const tag of tags) {
      if (typeof tag !== 'string' || !isTag(tag)) errors.push(`${at}: unknown tag ${JSON.stringify(tag)}`);
      else if (valid.includes(tag)) errors.push(`${at}: duplicate tag ${tag}`);
      else valid.push(tag);
    }
    if (typeof text === 'string' && (split === 'tune' || split === 'holdout')) {
      examples.push({ text, tags: valid, split });
    }
  });
  for (const split of SPLITS) {
    const counts = new Map<Tag, number>();
    for (const e of examples) if (e.split === split) for (const t of e.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const tag of TAG_VOCABULARY) {
      const n = counts.get(tag) ?? 0;
      if (n < MIN_EXAMPLES_PER_TAG_PER_SPLIT) {
        errors.push(`split ${split}: tag ${tag} has ${n} examples, needs ${MIN_EXAMPLES_PER_TAG_PER_SPLIT}`);
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, examples };
}
