import { HASHTAG_FILLER_WORDS, TOPICS } from './lexicon-data.js';
import { MAX_TAGS_PER_TWEET, TAG_VOCABULARY, type Tag } from './vocabulary.js';

/**
 * Points per matched entry, [strong, weak]. Phrases and hashtags are deliberate, specific
 * signals, so they outweigh a lone word; a weak word alone never reaches MIN_SCORE.
 */
const WEIGHTS = { word: [2, 1], phrase: [3, 2], hashtag: [3, 2], emoji: [2, 1] } as const;
/** A tag needs at least one strong entry, or two weak ones, to be reported. */
const MIN_SCORE = 2;
/**
 * Secondary topics must carry a fair share of the best topic's evidence, so a long tweet's stray
 * words do not fill the five slots. 0.25 cost nothing on the tune split; 0.3 and up began to
 * drop genuine secondary topics.
 */
const RELATIVE_CUTOFF = 0.25;
/** Longer hashtags are rarely a run of real words; the cap bounds the quadratic segmentation. */
const MAX_SEGMENTABLE_HASHTAG = 40;

/**
 * Words that light suffix stripping would merge with an unrelated or far more common word
 * (booked/book, gamer/game, runner/run, finally/final) are their own stems. The lexicon's
 * `=word` entries (trailer, seasoning, …) are added at load.
 */
const STEM_EXCEPTIONS = new Map<string, string>(
  Object.entries({
    news: 'news',
    finally: 'finally',
    booked: 'booked',
    booking: 'booking',
    gamer: 'gamer',
    gamers: 'gamer',
    gaming: 'gaming',
    runner: 'runner',
    runners: 'runner',
  }),
);
for (const topic of TOPICS) {
  for (const entry of `${topic.strong},${topic.weak ?? ''}`.split(',')) {
    const word = entry.trim().toLowerCase();
    if (!word.startsWith('=')) continue;
    STEM_EXCEPTIONS.set(word.slice(1), word.slice(1));
    STEM_EXCEPTIONS.set(`${word.slice(1)}s`, word.slice(1));
  }
}

/**
 * Light, Porter-flavoured stemming: plural `s/es/ies`, then one of `ing/ed/er/ly` (undoubling a
 * final consonant, running → run, or restoring a short stem's `e`, hiking → hike), then a final
 * `e` of a longer word or a consonant-`y` (movie/movies → movi, story/stories → stori). Stems are
 * only compared with each other, so they must be consistent rather than real words. Exported
 * for tests.
 */
export function stem(word: string): string {
  const pinned = STEM_EXCEPTIONS.get(word);
  if (pinned !== undefined) return pinned;
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (/(?:ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  w = stripSuffix(w);
  // Only longer words lose a final e: care, cute, note would otherwise become car, cut, not.
  if (w.length > 4 && w.endsWith('e')) return w.slice(0, -1);
  if (w.length > 3 && /[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}i`;
  return w;
}

function stripSuffix(w: string): string {
  for (const suffix of ['ing', 'ed', 'er', 'ly']) {
    if (!w.endsWith(suffix)) continue;
    const base = w.slice(0, -suffix.length);
    // Guards keep short or vowel-less bases whole (thing, spring), and need/beer/mother/family.
    if (base.length < 3 || !/[aeiouy]/.test(base)) return w;
    if (suffix === 'ed' && base.endsWith('e')) return w;
    if (suffix === 'er' && /(?:th|e)$/.test(base)) return w;
    if (suffix === 'ly' && (w.length < 6 || base.endsWith('i'))) return w;
    if (base.length > 3 && /([^aeiouslz])\1$/.test(base)) return base.slice(0, -1);
    // hik(ing) → hike, cod(ing) → code: a three-letter consonant-vowel-consonant stem lost its e.
    if (base.length === 3 && /^[^aeiou][aeiou][^aeiouwxy]$/.test(base)) return `${base}e`;
    return base;
  }
  return w;
}

/** Lowercase, diacritics and variation selectors gone, so `Rosé` = `rose` and `✈️` = `✈`. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Apostrophes vanish (director's → directors); any other non-alphanumeric separates words. */
function words(folded: string): string[] {
  return folded
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

interface Hit {
  topic: number;
  weight: number;
}

/** Everything derived from TOPICS once, at module load, so tagging a tweet is lookups only. */
interface Index {
  /** Stemmed single words and space-joined stemmed phrases → topics they credit. */
  terms: Map<string, Hit[]>;
  /** Longest phrase length (in words) starting with a given stem, to bound phrase probes. */
  longestPhrase: Map<string, number>;
  hashtags: Map<string, Hit[]>;
  emoji: { emoji: string; hit: Hit }[];
  /** Surface words and stems a hashtag may be cut into. */
  segmentWords: Set<string>;
  segmentStems: Set<string>;
}

function addHit(map: Map<string, Hit[]>, key: string, hit: Hit): void {
  const hits = map.get(key) ?? [];
  const same = hits.find((h) => h.topic === hit.topic);
  // An entry listed twice (or two entries with one stem) counts once, at its stronger weight.
  if (same) same.weight = Math.max(same.weight, hit.weight);
  else hits.push(hit);
  map.set(key, hits);
}

function buildIndex(): Index {
  const index: Index = {
    terms: new Map(),
    longestPhrase: new Map(),
    hashtags: new Map(),
    emoji: [],
    segmentWords: new Set(words(fold(HASHTAG_FILLER_WORDS))),
    segmentStems: new Set(),
  };
  TOPICS.forEach((topic, t) => {
    for (const [list, strength] of [
      [topic.strong, 0],
      [topic.weak ?? '', 1],
    ] as const) {
      for (const entry of list.split(',').map((e) => fold(e.trim().replace(/^=/, '')))) {
        if (entry === '') continue;
        if (entry.startsWith('#')) {
          addHit(index.hashtags, entry.slice(1), { topic: t, weight: WEIGHTS.hashtag[strength] });
          continue;
        }
        const ws = words(entry);
        if (ws.length === 0) {
          index.emoji.push({ emoji: entry, hit: { topic: t, weight: WEIGHTS.emoji[strength] } });
          continue;
        }
        const stems = ws.map(stem);
        const kind = stems.length > 1 ? 'phrase' : 'word';
        addHit(index.terms, stems.join(' '), { topic: t, weight: WEIGHTS[kind][strength] });
        const first = stems[0]!;
        index.longestPhrase.set(first, Math.max(index.longestPhrase.get(first) ?? 1, stems.length));
        for (const w of ws) index.segmentWords.add(w);
        for (const s of stems) index.segmentStems.add(s);
      }
    }
  });
  return index;
}

const INDEX = buildIndex();

function isSegmentWord(piece: string): boolean {
  if (INDEX.segmentWords.has(piece)) return true;
  return piece.length >= 4 && INDEX.segmentStems.has(stem(piece));
}

/**
 * Cuts a run of lowercase letters into the fewest known words (bookclub → book club), or
 * returns it whole when no full cut exists: a partial cut would invent words.
 */
function segment(run: string): string[] {
  if (run.length > MAX_SEGMENTABLE_HASHTAG || isSegmentWord(run)) return [run];
  // best[i] = fewest pieces covering run[0, i); from[i] = where the last piece starts.
  const best: number[] = [0];
  const from: number[] = [0];
  for (let end = 1; end <= run.length; end++) {
    best[end] = Infinity;
    for (let start = 0; start < end; start++) {
      const piece = run.slice(start, end);
      const prior = best[start]!;
      if (prior + 1 < best[end]! && (piece.length > 1 || piece === 'a' || piece === 'i') && isSegmentWord(piece)) {
        best[end] = prior + 1;
        from[end] = start;
      }
    }
  }
  if (best[run.length] === Infinity) return [run];
  const pieces: string[] = [];
  for (let end = run.length; end > 0; end = from[end]!) pieces.unshift(run.slice(from[end]!, end));
  return pieces;
}

/**
 * A hashtag's words: `_`, camelCase and letter/digit boundaries first, then cuts into the
 * lexicon's words (bookclub → book club). Exported for the model tagger's features.
 */
export function hashtagWords(body: string): string[] {
  return body
    .split('_')
    .flatMap((part) => part.split(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u))
    .flatMap((part) => words(fold(part)))
    .flatMap(segment);
}

/** Adds the term keys found in one run of words; a matched phrase consumes its words. */
function matchTerms(stems: readonly string[], found: Set<string>): void {
  for (let i = 0; i < stems.length;) {
    let consumed = 1;
    const longest = INDEX.longestPhrase.get(stems[i]!) ?? 1;
    for (let n = Math.min(longest, stems.length - i); n >= 1; n--) {
      const key = stems.slice(i, i + n).join(' ');
      if (INDEX.terms.has(key)) {
        found.add(key);
        consumed = n;
        break;
      }
    }
    i += consumed;
  }
}

/**
 * Tags a tweet offline and deterministically from the keyword lexicon in `lexicon-data.ts`.
 *
 * Returns at most `options.max` (default and ceiling {@link MAX_TAGS_PER_TWEET}) vocabulary
 * tags, best first, ties in vocabulary order; an empty array when nothing passes the
 * threshold (e.g. emoji-only or off-topic text). Each matched entry counts once however often it
 * occurs. Pure: same text, same tags.
 */
export function tagWithLexicon(text: string, options: { max?: number } = {}): Tag[] {
  const requested = options.max ?? MAX_TAGS_PER_TWEET;
  const max = Number.isNaN(requested) ? 0 : Math.max(0, Math.min(MAX_TAGS_PER_TWEET, Math.floor(requested)));
  if (max === 0) return [];

  const folded = fold(text);
  const topicScores = new Array<number>(TOPICS.length).fill(0);
  const credit = (hits: readonly Hit[] | undefined) => {
    for (const h of hits ?? []) topicScores[h.topic]! += h.weight;
  };

  // A URL's #fragment is not a hashtag; @handles are names, not topics.
  const noUrls = text.replace(/https?:\/\/\S+/g, ' ');
  const hashtagBodies = [...noUrls.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
  const body = noUrls.replace(/[#@][\p{L}\p{N}_]+/gu, ' ');
  const found = new Set<string>();
  matchTerms(words(fold(body)).map(stem), found);
  const wholeTags = new Set<string>();
  for (const tag of hashtagBodies) {
    wholeTags.add(fold(tag).replace(/_/g, ''));
    matchTerms(hashtagWords(tag).map(stem), found);
  }
  for (const key of found) credit(INDEX.terms.get(key));
  for (const tag of wholeTags) credit(INDEX.hashtags.get(tag));
  for (const { emoji, hit } of INDEX.emoji) if (folded.includes(emoji)) credit([hit]);

  const tagScores = new Map<Tag, number>();
  TOPICS.forEach((topic, t) => {
    for (const tag of topic.tags) tagScores.set(tag, (tagScores.get(tag) ?? 0) + topicScores[t]!);
  });
  const best = Math.max(0, ...tagScores.values());
  const floor = Math.max(MIN_SCORE, best * RELATIVE_CUTOFF);
  return TAG_VOCABULARY.filter((tag) => (tagScores.get(tag) ?? 0) >= floor)
    .sort((a, b) => tagScores.get(b)! - tagScores.get(a)!)
    .slice(0, max);
}
