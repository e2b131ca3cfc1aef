import { decideFlag, mergeLabels, type ModerationCategory, type ModerationLabel } from './categories.js';
import { createModerationClassifier, type ClassifierScores, type ModeratorModelFile } from './classifier.js';
import { normalizeText } from './normalize.js';
import { spamSignals, threatLabels, type SpamRules, type SpamSignals } from './patterns.js';
import { wordListLabels } from './wordlist.js';

export interface OfflineModeratorOptions {
  spam: SpamRules;
  /** Categories whose high-severity labels hide a tweet (DEFAULT_FLAG_CATEGORIES unless configured). */
  flagCategories: readonly ModerationCategory[];
}

export interface OfflineVerdict {
  flagged: boolean;
  /** One label per category detected, highest severity first found, in MODERATION_CATEGORIES order. */
  labels: ModerationLabel[];
}

/**
 * The offline moderator: every detector reads the same normalised text (normalize.ts), then
 * - obscenity's word list gives profanity (low), sexual (medium) and slurs (hate, medium);
 * - threat patterns give threat (high);
 * - the trained classifier gives insult (offensive language with no listed word, medium), hate
 *   (medium, high when it is sure or a slur comes with it) and spam;
 * - spam rules (blocklist, link/mention/repeat limits: high alone; phone numbers, link
 *   shorteners, prize language, premium-rate codes and prices, subscription fine print: high
 *   together or with the classifier) give spam; the classifier alone gives medium spam only.
 * Pure and deterministic for a given model and options.
 */
export function createOfflineModerator(model: ModeratorModelFile, options: OfflineModeratorOptions): (text: string) => OfflineVerdict {
  const analyse = createAnalyser(model, options.spam);
  return (raw) => verdictFrom(analyse(raw), model.thresholds, options.flagCategories);
}

/** What every detector found in a text, before thresholds and policy. */
export interface Evidence {
  scores: ClassifierScores;
  /** Word-list and threat-pattern labels (they need no threshold). */
  fixed: ModerationLabel[];
  spam: SpamSignals;
}

/** Runs the detectors on the normalised text. */
export function createAnalyser(model: ModeratorModelFile, spamRules: SpamRules): (text: string) => Evidence {
  const classify = createModerationClassifier(model);
  return (raw) => {
    const text = normalizeText(raw);
    return { scores: classify(text), fixed: [...wordListLabels(text), ...threatLabels(text)], spam: spamSignals(text, spamRules) };
  };
}

/** Thresholds and policy applied to what the detectors found; training tunes thresholds through this same function. */
export function verdictFrom(evidence: Evidence, th: ModeratorModelFile['thresholds'], flagCategories: readonly ModerationCategory[]): OfflineVerdict {
  const { scores } = evidence;
  const found = [...evidence.fixed, ...classifierLabels(scores, th), ...spamLabels(evidence.spam, scores, th)];
  if (evidence.fixed.some((l) => l.category === 'hate') && scores.hate >= th.hate) {
    found.push({ category: 'hate', severity: 'high', source: 'wordlist+classifier' });
  }
  const labels = mergeLabels(found);
  return { flagged: decideFlag(labels, flagCategories), labels };
}

function classifierLabels(s: ClassifierScores, th: ModeratorModelFile['thresholds']): ModerationLabel[] {
  const out: ModerationLabel[] = [];
  if (s.offensive >= th.offensive) out.push({ category: 'insult', severity: 'medium', source: 'classifier' });
  if (s.hate >= th.hateHigh) out.push({ category: 'hate', severity: 'high', source: 'classifier' });
  else if (s.hate >= th.hate) out.push({ category: 'hate', severity: 'medium', source: 'classifier' });
  return out;
}

/**
 * Spam is severe (hides the tweet) only with a pattern behind it: a strong rule, two weak ones,
 * or one weak rule the classifier agrees with (score ≥ spamHigh). The classifier alone only labels
 * (medium): its spam output was trained on SMS, where short texts full of numbers are often spam,
 * so on its own it cannot tell "round 1 from followee 49" from a premium-rate message.
 */
function spamLabels(signals: SpamSignals, s: ClassifierScores, th: ModeratorModelFile['thresholds']): ModerationLabel[] {
  if (signals.strong.length > 0) return [{ category: 'spam', severity: 'high', source: `pattern:${signals.strong[0]}` }];
  if (signals.weak.length >= 2) return [{ category: 'spam', severity: 'high', source: `pattern:${signals.weak.join('+')}` }];
  if (signals.weak.length === 1 && s.spam >= th.spamHigh) return [{ category: 'spam', severity: 'high', source: `classifier+pattern:${signals.weak[0]}` }];
  if (s.spam >= th.spam) return [{ category: 'spam', severity: 'medium', source: 'classifier' }];
  return [];
}
