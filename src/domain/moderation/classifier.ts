import { z } from 'zod';
import { decodeSparseWeights, SparseWeightsFile } from '../linear/sparse-weights.js';
import { foldForMatching } from './normalize.js';

/** The outputs of the moderation classifier, in the order its model file stores them. */
export const CLASSIFIER_OUTPUTS = ['offensive', 'hate', 'spam'] as const;
export type ClassifierOutput = (typeof CLASSIFIER_OUTPUTS)[number];

/**
 * The trained moderation classifier as stored (`models/moderator/model.json.gz`, written by
 * `npm run train:moderator`): logistic regression per output over words, word pairs and
 * character n-grams of the folded text, plus a few shape features spam has.
 */
export const ModeratorModelFile = z.object({
  format: z.literal('timeline-moderator/1'),
  outputs: z.tuple([z.literal('offensive'), z.literal('hate'), z.literal('spam')]),
  bias: z.array(z.number()).length(3),
  sparse: SparseWeightsFile,
  /** Probability at which each output raises a label, and (`high`) when that label is severe. */
  thresholds: z.object({
    offensive: z.number().min(0).max(1),
    hate: z.number().min(0).max(1),
    hateHigh: z.number().min(0).max(1),
    /** The classifier's spam score for a medium spam label (never hides on its own). */
    spam: z.number().min(0).max(1),
    /** The spam score at which one weak spam pattern is severe (hides; offline-moderator.ts). */
    spamHigh: z.number().min(0).max(1),
  }),
  provenance: z.record(z.string(), z.unknown()).optional(),
});
export type ModeratorModelFile = z.infer<typeof ModeratorModelFile>;

const CHAR_NGRAMS = [3, 4, 5] as const;

/**
 * The classifier's features of a text; shared by training and the service. Words are read from
 * the folded text (so `$h1t` and `shit` are one feature); URLs, handles and numbers become
 * shape features, which is what spam is made of.
 */
export function moderationFeatures(text: string): string[] {
  const out = new Set<string>();
  const links = text.match(/https?:\/\/\S+|www\.\S+/gi) ?? [];
  if (links.length > 0) out.add(`s:links${Math.min(links.length, 3)}`);
  const mentions = text.match(/(?:^|\s)@\w+/g) ?? [];
  if (mentions.length > 0) out.add(`s:mentions${Math.min(mentions.length, 4)}`);
  if (/\d{5,}/.test(text.replace(/\s/g, ''))) out.add('s:longnumber');
  if (/[£$€]\s?\d/.test(text)) out.add('s:money');
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (letters.length >= 12 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.6) out.add('s:shouting');
  const folded = foldForMatching(text.replace(/https?:\/\/\S+|www\.\S+/gi, ' ').replace(/@\w+/g, ' @user '));
  const words = folded
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}@]+/u)
    .filter((w) => w.length > 0 && w.length <= 24)
    .map((w) => (/^\d+$/.test(w) ? `#${w.length > 4 ? 'long' : w.length}` : w));
  words.forEach((w, i) => {
    out.add(`w:${w}`);
    if (i > 0) out.add(`b:${words[i - 1]}_${w}`);
    if (w.length >= 3 && !w.startsWith('#') && w !== '@user') {
      const padded = `<${w}>`;
      for (const n of CHAR_NGRAMS) for (let j = 0; j + n <= padded.length; j++) out.add(`c:${padded.slice(j, j + n)}`);
    }
  });
  return [...out];
}

export type ClassifierScores = Record<ClassifierOutput, number>;

/** Loads the classifier; throws when the file's parts do not fit together. */
export function createModerationClassifier(file: ModeratorModelFile): (text: string) => ClassifierScores {
  const addSparse = decodeSparseWeights(file.sparse, CLASSIFIER_OUTPUTS.length);
  return (text) => {
    const z = Float64Array.from(file.bias);
    addSparse(moderationFeatures(text), z);
    const p = (i: number) => 1 / (1 + Math.exp(-z[i]!));
    return { offensive: p(0), hate: p(1), spam: p(2) };
  };
}
