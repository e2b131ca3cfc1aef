/**
 * What `npm run eval:tagger` prints, as functions the unit tests call on small fixtures too.
 */
import { readFileSync } from 'node:fs';
import { evaluateTagger, parseLabeledTweets, SPLITS, type SplitExample } from '../eval-tagger/evaluate.js';
import type { Tag } from '../../src/domain/tags/vocabulary.js';
import type { TopicTweet } from './corpora.js';
import { TWEET_TOPICS } from './label-maps.js';
import { scoreOnTopics, type TopicScores } from './metrics.js';

export interface Row {
  set: string;
  tagger: string;
  tweets: number;
  precision: number;
  recall: number;
  f1: number;
  anyCorrect: number;
}

/** The hand-written fixture (fixtures/tagger/labeled-tweets.json), validated. */
export function readHandWritten(path: string): SplitExample[] {
  const parsed = parseLabeledTweets(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw new Error(`malformed fixture ${path}:\n  ${parsed.errors.join('\n  ')}`);
  return parsed.examples;
}

/** TweetTopic-labelled tweets in a small JSON fixture: `[{ text, topics: [...] }]`, topics checked against the 19. */
export function readTopicFixture(path: string): TopicTweet[] {
  const rows = JSON.parse(readFileSync(path, 'utf8')) as { text: unknown; topics: unknown }[];
  return rows.map((r, i) => {
    if (typeof r.text !== 'string' || !Array.isArray(r.topics) || r.topics.some((t) => !(TWEET_TOPICS as readonly unknown[]).includes(t))) {
      throw new Error(`${path} row ${i}: needs text and topics from TweetTopic's 19`);
    }
    return { text: r.text, topics: r.topics as string[] };
  });
}

/** Tag-level scores on the hand-written fixture, per split; "any correct" is the share of tweets with a gold tag among the predicted. */
export function handWrittenRows(name: string, tagger: (text: string) => Tag[], examples: readonly SplitExample[]): Row[] {
  return SPLITS.map((split) => {
    const part = examples.filter((e) => e.split === split);
    const r = evaluateTagger(tagger, part);
    const any = part.filter((e) => tagger(e.text).some((t) => e.tags.includes(t))).length / part.length;
    return { set: `hand-written, ${split === 'holdout' ? 'held out' : 'tuning'}`, tagger: name, tweets: part.length, precision: r.precision, recall: r.recall, f1: r.f1, anyCorrect: any };
  });
}

export function topicRow(set: string, name: string, scores: TopicScores): Row {
  return { set, tagger: name, tweets: scores.tweets, precision: scores.precision, recall: scores.recall, f1: scores.f1, anyCorrect: scores.anyCorrect };
}

export function topicScores(tagger: (text: string) => Tag[], tweets: readonly TopicTweet[]): TopicScores {
  return scoreOnTopics(tagger, tweets);
}

export function formatRows(rows: readonly Row[]): string {
  const f = (x: number) => x.toFixed(3);
  return [
    '| set | tagger | tweets | precision | recall | F1 | any correct |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.set} | ${r.tagger} | ${r.tweets} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} | ${f(r.anyCorrect)} |`),
  ].join('\n');
}
