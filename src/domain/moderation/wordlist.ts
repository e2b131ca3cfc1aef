import { englishDataset, englishRecommendedTransformers, RegExpMatcher, type EnglishProfaneWord } from 'obscenity';
import type { ModerationCategory, ModerationLabel } from './categories.js';

/**
 * obscenity's English word list (70 words, each with its spelling variants; its transformers
 * undo leetspeak, confusables, repeated and separated letters), sorted into our categories.
 * Slurs are `hate` at medium severity: a slur alone is not proof of hate speech (reclaimed and
 * quoted uses are common in real tweets), so only the classifier or a threat raises it to high.
 */
const CATEGORY_OF: Record<EnglishProfaneWord, ModerationCategory> = {
  abeed: 'hate', abo: 'hate', africoon: 'hate', arabush: 'hate', boonga: 'hate', chingchong: 'hate', chink: 'hate',
  kike: 'hate', negro: 'hate', nigger: 'hate', tranny: 'hate', fag: 'hate', dyke: 'hate', retard: 'insult', spastic: 'insult',
  anal: 'sexual', anus: 'sexual', bestiality: 'sexual', blowjob: 'sexual', boob: 'sexual', buttplug: 'sexual', cum: 'sexual',
  deepthroat: 'sexual', dildo: 'sexual', doggystyle: 'sexual', 'double penetration': 'sexual', ejaculate: 'sexual',
  fellatio: 'sexual', felch: 'sexual', 'finger bang': 'sexual', fisting: 'sexual', gangbang: 'sexual', handjob: 'sexual',
  hentai: 'sexual', incest: 'sexual', 'jerk off': 'sexual', jizz: 'sexual', lubejob: 'sexual', masturbate: 'sexual',
  orgasm: 'sexual', orgy: 'sexual', penis: 'sexual', porn: 'sexual', semen: 'sexual', sex: 'sexual', tit: 'sexual',
  vagina: 'sexual', wank: 'sexual', scat: 'sexual', hooker: 'sexual', rape: 'sexual',
  arse: 'profanity', ass: 'profanity', bastard: 'profanity', bitch: 'profanity', bollocks: 'profanity', cock: 'profanity',
  cuck: 'profanity', cunt: 'profanity', dick: 'profanity', fuck: 'profanity', piss: 'profanity', prick: 'profanity',
  pussy: 'profanity', shit: 'profanity', slut: 'profanity', turd: 'profanity', twat: 'profanity', whore: 'profanity',
};

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

/** The listed words found in `text` (already normalised), by our category, each category once. */
export function wordListLabels(text: string): ModerationLabel[] {
  const found = new Set<ModerationCategory>();
  for (const match of matcher.getAllMatches(text)) {
    const word = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord;
    if (word) found.add(CATEGORY_OF[word]);
  }
  return [...found].map((category) => ({
    category,
    severity: category === 'profanity' ? 'low' : 'medium',
    source: 'wordlist',
  }));
}
