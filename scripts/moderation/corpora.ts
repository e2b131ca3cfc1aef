/**
 * The public corpora the moderator is trained and measured on (models/moderator/PROVENANCE.md).
 * Only train and validation files are opened; the SMS Spam Collection copy in the corpus folder
 * already lacks its first 300 ham and 300 spam messages (they are held out by the team), and this
 * reader splits the rest by position: every fifth message is validation.
 */
import { readFileSync } from 'node:fs';
import { corpusPath } from '../tagger/corpora.js';

export interface LabelledText {
  text: string;
  label: 0 | 1;
}

/** TweetEval `offensive` (OLID / OffensEval 2019) or `hate` (HatEval 2019), train or validation. */
export function readTweetEvalTask(root: string, task: 'offensive' | 'hate', split: 'train' | 'val'): LabelledText[] {
  const texts = readFileSync(corpusPath(root, 'tweeteval', task, `${split}_text.txt`), 'utf8').split('\n');
  const labels = readFileSync(corpusPath(root, 'tweeteval', task, `${split}_labels.txt`), 'utf8').split('\n');
  const out: LabelledText[] = [];
  texts.forEach((text, i) => {
    const label = labels[i]?.trim();
    if (text.trim() === '' || (label !== '0' && label !== '1')) return;
    out.push({ text, label: label === '1' ? 1 : 0 });
  });
  return out;
}

/** SMS Spam Collection (after its first 300 ham and 300 spam), `ham|spam<TAB>text` a line. */
export function readSmsSpam(root: string, split: 'train' | 'val'): LabelledText[] {
  const lines = readFileSync(corpusPath(root, 'sms-spam', 'SMSSpamCollection.after-first-300-each.tsv'), 'utf8').split('\n').filter(Boolean);
  return lines.flatMap((line, i) => {
    if ((i % 5 === 0) !== (split === 'val')) return [];
    const m = /^(ham|spam)\t(.*)$/.exec(line);
    return m ? [{ text: m[2]!, label: m[1] === 'spam' ? (1 as const) : (0 as const) }] : [];
  });
}

/** Ordinary tweets with no moderation label: TweetEval emotion and irony train tweets. */
export function readOrdinaryTweets(root: string): string[] {
  return ['emotion', 'irony'].flatMap((task) => readFileSync(corpusPath(root, 'tweeteval', task, 'train_text.txt'), 'utf8').split('\n').filter(Boolean));
}

/**
 * Ordinary tweets held apart from training: the validation tweets of TweetEval emotion, irony and
 * emoji (none of their train tweets is in this set, and no moderator output is trained on them).
 * They measure how many everyday tweets the moderator hides.
 */
export function readOrdinaryTweetsValidation(root: string): string[] {
  return ['emotion', 'irony', 'emoji'].flatMap((task) => readFileSync(corpusPath(root, 'tweeteval', task, 'val_text.txt'), 'utf8').split('\n').filter(Boolean));
}
