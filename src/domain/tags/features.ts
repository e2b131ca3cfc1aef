import { hashtagWords, stem, tagWithLexicon } from './lexicon-tagger.js';
import { groupOfTag, type TagGroupId } from './tag-groups.js';

/**
 * What the model tagger sees of a text; shared by training (`scripts/tagger/`) and tagging, so
 * the two can never drift apart.
 */
export interface TextFeatures {
  /** Sparse binary features, each once: `w:` stems, `b:` stem bigrams, `c:` character n-grams of
   *  words, `h:` whole hashtags, `e:` emoji, `x:` lexicon groups. */
  sparse: string[];
  /** Lowercased words (hashtags split into theirs), for the word-vector part; stopwords removed. */
  words: string[];
}

/** Character n-gram lengths taken inside each word (with `<` `>` marking its ends). */
const CHAR_NGRAMS = [3, 4, 5] as const;
/** Longer "words" are URLs' debris or keyboard mash; their n-grams would only add noise. */
const MAX_WORD_LENGTH = 24;

/**
 * Function words: they carry no topic, and averaging their vectors would pull every text toward
 * the same point. Kept short on purpose: topical words must never be in it.
 */
const STOPWORDS = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been being am it its this that these those
  i me my we us our you your he him his she her they them their what which who whom there here so than too very can
  will just do does did have has had not no yes all any some would should could about into over after before up down
  out off again then once only own same such both each few more most other im ive dont cant its thats get got also
  rt amp via lol`.split(/\s+/),
);

/** `{{URL}}`, `{{USERNAME}}` and `{@Display Name@}` are how TweetTopic writes links and accounts. */
function stripMarkup(text: string): string {
  return text
    .replace(/\{\{[A-Z]+\}\}/g, ' ')
    .replace(/\{@([^@]*)@\}/g, ' $1 ')
    .replace(/https?:\/\/\S+|www\.\S+/g, ' ')
    .replace(/@\w+/g, ' ')
    .replace(/&amp;/g, '&');
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function wordsOf(folded: string): string[] {
  return folded
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && w.length <= MAX_WORD_LENGTH);
}

const EMOJI = /\p{Extended_Pictographic}/gu;

/** Sparse feature families, by their key's first letter (`h` and `e` go with `w`). */
export type FeatureFamily = 'w' | 'b' | 'c' | 'x';
const ALL_FAMILIES: ReadonlySet<FeatureFamily> = new Set(['w', 'b', 'c', 'x']);

/**
 * Extracts the model tagger's features from a raw text (a tweet, or a headline at training time).
 * Pure and deterministic; duplicates are removed, order is first occurrence. `families` limits
 * the sparse features to those a model uses (computing character n-grams nobody reads is most
 * of the cost).
 */
export function extractFeatures(text: string, families: ReadonlySet<FeatureFamily> = ALL_FAMILIES): TextFeatures {
  const clean = stripMarkup(text);
  const hashtags = [...clean.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
  const body = clean.replace(/#[\p{L}\p{N}_]+/gu, ' ');
  const bodyWords = wordsOf(fold(body));
  const tagWords = hashtags.flatMap((h) => hashtagWords(h));
  const sparse = new Set<string>();
  if (families.has('w') || families.has('b')) {
    const stems = bodyWords.map(stem);
    stems.forEach((s, i) => {
      if (families.has('w')) sparse.add(`w:${s}`);
      if (i > 0 && families.has('b')) sparse.add(`b:${stems[i - 1]}_${s}`);
    });
  }
  if (families.has('w')) {
    for (const w of tagWords) sparse.add(`w:${stem(w)}`);
    for (const h of hashtags) sparse.add(`h:${fold(h).replace(/_/g, '')}`);
    for (const e of text.match(EMOJI) ?? []) sparse.add(`e:${e}`);
  }
  if (families.has('c')) {
    for (const w of [...bodyWords, ...tagWords]) {
      if (w.length < 3 || /^\d+$/.test(w)) continue;
      const padded = `<${w}>`;
      for (const n of CHAR_NGRAMS) for (let i = 0; i + n <= padded.length; i++) sparse.add(`c:${padded.slice(i, i + n)}`);
    }
  }
  if (families.has('x')) for (const group of lexiconGroups(text)) sparse.add(`x:${group}`);
  const words = [...bodyWords, ...tagWords].filter((w) => !STOPWORDS.has(w) && !/^\d+$/.test(w));
  return { sparse: [...sparse], words };
}

/** The groups the hand-written lexicon finds evidence for: one input among others to the model. */
export function lexiconGroups(text: string): TagGroupId[] {
  return [...new Set(tagWithLexicon(text).map(groupOfTag))];
}
