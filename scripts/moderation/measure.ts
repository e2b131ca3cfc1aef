/**
 * The moderation figures the issue sets targets for, computed the same way on any labelled
 * sets: offensive detection (any of profanity, insult, sexual, hate, threat), hate detection (a
 * hate label), spam detection (a spam label that flags), and the share of ordinary texts hidden.
 */
import type { OfflineVerdict } from '../../src/domain/moderation/offline-moderator.js';
import type { LabelledText } from './corpora.js';

export interface DetectionScores {
  n: number;
  positives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ModerationFigures {
  offensive: DetectionScores;
  hate: DetectionScores & { flaggedRecall: number };
  spam: DetectionScores;
  /** Share of ordinary (negative) texts that were flagged, i.e. hidden from others. */
  ordinaryHidden: { n: number; rate: number };
  /** The same over everyday tweets with no moderation label (absent when no such set was given). */
  ordinaryTweetsHidden?: { n: number; rate: number };
}

const OFFENSIVE = new Set(['profanity', 'insult', 'sexual', 'hate', 'threat']);
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function detection(set: readonly LabelledText[], hit: (text: string) => boolean): DetectionScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { text, label } of set) {
    const h = hit(text);
    if (h && label === 1) tp++;
    else if (h) fp++;
    else if (label === 1) fn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { n: set.length, positives: tp + fn, precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
}

export function measureModeration(
  moderate: (text: string) => OfflineVerdict,
  sets: {
    offensive: readonly LabelledText[];
    hate: readonly LabelledText[];
    spam: readonly LabelledText[];
    ordinary: readonly string[];
    /** Everyday tweets (no moderation label at all): reported apart as ordinaryTweetsHidden. */
    tweets?: readonly string[];
  },
): ModerationFigures {
  const cache = new Map<string, OfflineVerdict>();
  const verdict = (t: string) => {
    let v = cache.get(t);
    if (!v) cache.set(t, (v = moderate(t)));
    return v;
  };
  const hateSet = sets.hate.filter((e) => e.label === 1);
  const hidden = (texts: readonly string[]) => ({ n: texts.length, rate: ratio(texts.filter((t) => verdict(t).flagged).length, texts.length) });
  return {
    offensive: detection(sets.offensive, (t) => verdict(t).labels.some((l) => OFFENSIVE.has(l.category))),
    hate: {
      ...detection(sets.hate, (t) => verdict(t).labels.some((l) => l.category === 'hate')),
      flaggedRecall: ratio(hateSet.filter((e) => verdict(e.text).flagged).length, hateSet.length),
    },
    spam: detection(sets.spam, (t) => verdict(t).flagged && verdict(t).labels.some((l) => l.category === 'spam')),
    ordinaryHidden: hidden(sets.ordinary),
    ...(sets.tweets ? { ordinaryTweetsHidden: hidden(sets.tweets) } : {}),
  };
}
