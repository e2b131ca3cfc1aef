/**
 * Scores a tagger on TweetTopic-labelled tweets at the level of tag groups (TWEET_TOPIC_SCORING):
 * tweets are labelled with 19 topics, not our 50 tags, so a predicted group is right when it
 * falls under one of the tweet's topics, and a topic is found when some predicted group falls
 * under it. Synonym tags (movie_lovers + movie_buffs) count once, as their group.
 */
import { groupOfTag, type TagGroupId } from '../../src/domain/tags/tag-groups.js';
import type { Tag } from '../../src/domain/tags/vocabulary.js';
import { TWEET_TOPIC_SCORING } from './label-maps.js';
import type { TopicTweet } from './corpora.js';

export interface TopicScores {
  tweets: number;
  /** Tweets with at least one topic our vocabulary covers. */
  topical: number;
  /** Share of topical tweets given at least one right group. */
  anyCorrect: number;
  /** Share of topical tweets given no tag at all. */
  untagged: number;
  /** Share of non-topical tweets given some judged tag (a tweet about nothing of ours that got tags anyway). */
  taggedOffTopic: number;
  precision: number;
  recall: number;
  f1: number;
}

const TOPICS_OF_GROUP = new Map<TagGroupId, string[]>();
for (const [topic, groups] of Object.entries(TWEET_TOPIC_SCORING)) {
  for (const g of groups) TOPICS_OF_GROUP.set(g, [...(TOPICS_OF_GROUP.get(g) ?? []), topic]);
}

const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);

export function scoreOnTopics(tagger: (text: string) => readonly Tag[], tweets: readonly TopicTweet[]): TopicScores {
  let tpPred = 0;
  let fpPred = 0;
  let foundTopics = 0;
  let goldTopics = 0;
  let topical = 0;
  let anyCorrect = 0;
  let untagged = 0;
  let offTopic = 0;
  let taggedOffTopic = 0;
  for (const tweet of tweets) {
    const gold = tweet.topics.filter((t) => t in TWEET_TOPIC_SCORING);
    const predictedTags = tagger(tweet.text);
    const groups = [...new Set(predictedTags.map(groupOfTag))].filter((g) => TOPICS_OF_GROUP.has(g));
    let right = 0;
    for (const g of groups) {
      if (TOPICS_OF_GROUP.get(g)!.some((t) => gold.includes(t))) right++;
      else fpPred++;
    }
    tpPred += right;
    goldTopics += gold.length;
    foundTopics += gold.filter((t) => groups.some((g) => TOPICS_OF_GROUP.get(g)!.includes(t))).length;
    if (gold.length > 0) {
      topical++;
      if (right > 0) anyCorrect++;
      if (predictedTags.length === 0) untagged++;
    } else {
      offTopic++;
      if (groups.length > 0) taggedOffTopic++;
    }
  }
  const precision = ratio(tpPred, tpPred + fpPred);
  const recall = ratio(foundTopics, goldTopics);
  return {
    tweets: tweets.length,
    topical,
    anyCorrect: ratio(anyCorrect, topical),
    untagged: ratio(untagged, topical),
    taggedOffTopic: ratio(taggedOffTopic, offTopic),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
  };
}
