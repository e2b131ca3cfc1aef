/**
 * How the labels of the public corpora map onto our tag groups (`src/domain/tags/tag-groups.ts`).
 * PROVENANCE.md beside the model prints these tables; change them here only.
 */
import type { TagGroupId } from '../../src/domain/tags/tag-groups.js';

/**
 * A source label's meaning for training: `positive` groups are true of every text with the
 * label; `candidates` may be (a candidate becomes positive when the hand-written lexicon also
 * finds it in the text, and is left out of the loss otherwise); when none of `positive` exists
 * and no candidate is confirmed, `fallback` groups are taken as positive.
 */
export interface LabelMapping {
  positive: readonly TagGroupId[];
  candidates?: readonly TagGroupId[];
  fallback?: readonly TagGroupId[];
}

/** TweetTopic / TweetTopicXL's 19 topics. Topics with no entry say nothing about our groups. */
export const TWEET_TOPIC_TRAINING: Readonly<Record<string, LabelMapping>> = {
  'arts_&_culture': { positive: [], candidates: ['art', 'culture', 'books', 'history', 'drama', 'photography', 'comics'], fallback: ['art', 'culture'] },
  'business_&_entrepreneurs': { positive: ['entrepreneurs'], candidates: ['finance'] },
  family: { positive: ['family'] },
  'fashion_&_style': { positive: ['fashion'] },
  'film_tv_&_video': { positive: [], candidates: ['movies', 'tv', 'drama'], fallback: ['movies', 'tv'] },
  'fitness_&_health': { positive: [], candidates: ['fitness', 'health'], fallback: ['fitness', 'health'] },
  'food_&_dining': { positive: ['food'], candidates: ['wine', 'vegan'] },
  gaming: { positive: ['gaming'] },
  music: { positive: ['music'] },
  other_hobbies: {
    positive: [],
    candidates: ['diy', 'photography', 'cars', 'plants', 'pets', 'comics', 'home', 'cycling', 'outdoors', 'nature', 'books', 'art'],
  },
  'science_&_technology': { positive: ['tech'] },
  sports: { positive: ['sports'], candidates: ['cycling', 'fitness', 'outdoors'] },
  'travel_&_adventure': { positive: [], candidates: ['travel', 'adventure', 'outdoors', 'nature'], fallback: ['travel'] },
};

/**
 * Groups no TweetTopic topic speaks for (climate and social apps fall under its news and daily-life
 * topics, which also hold everything else): TweetTopic texts never teach them either way.
 */
export const TWEET_TOPIC_SILENT: readonly TagGroupId[] = ['social_media', 'green'];

/**
 * Scoring on TweetTopic-labelled tweets: a predicted group is right when it falls under one of
 * the tweet's topics. Topics absent here (celebrity, daily life, learning, news, relationships,
 * youth) have no counterpart in our vocabulary: they are not "topical" for scoring, and groups
 * mapped to no topic at all (social_media, green) are neither right nor wrong.
 */
export const TWEET_TOPIC_SCORING: Readonly<Record<string, readonly TagGroupId[]>> = {
  'arts_&_culture': ['art', 'culture', 'books', 'history', 'drama', 'photography', 'comics'],
  'business_&_entrepreneurs': ['entrepreneurs', 'finance'],
  family: ['family'],
  'fashion_&_style': ['fashion'],
  'film_tv_&_video': ['movies', 'tv', 'drama'],
  'fitness_&_health': ['fitness', 'health', 'vegan'],
  'food_&_dining': ['food', 'wine', 'vegan'],
  gaming: ['gaming'],
  music: ['music'],
  other_hobbies: ['diy', 'photography', 'cars', 'plants', 'pets', 'comics', 'home', 'cycling', 'outdoors', 'nature', 'books', 'art'],
  'science_&_technology': ['tech'],
  sports: ['sports', 'cycling'],
  'travel_&_adventure': ['travel', 'adventure', 'outdoors', 'nature'],
};

/** TweetTopic's 19 topic names, in its own order (the column order of its jsonl files). */
export const TWEET_TOPICS = [
  'arts_&_culture', 'business_&_entrepreneurs', 'celebrity_&_pop_culture', 'diaries_&_daily_life', 'family',
  'fashion_&_style', 'film_tv_&_video', 'fitness_&_health', 'food_&_dining', 'gaming', 'learning_&_educational',
  'music', 'news_&_social_concern', 'other_hobbies', 'relationships', 'science_&_technology', 'sports',
  'travel_&_adventure', 'youth_&_student_life',
] as const;

/**
 * HuffPost News Category (v2, 41 categories), in the order the few-shot benchmark copy numbers
 * them (by frequency in the full set; checked against each label's most distinctive words).
 * Categories mapped to nothing (politics, crime, world news, …) are all-negative examples: news
 * that is about none of our interests teaches the model to stay quiet.
 */
export const HUFFPOST_CATEGORIES = [
  'POLITICS', 'WELLNESS', 'ENTERTAINMENT', 'TRAVEL', 'STYLE & BEAUTY', 'PARENTING', 'HEALTHY LIVING', 'QUEER VOICES',
  'FOOD & DRINK', 'BUSINESS', 'COMEDY', 'SPORTS', 'BLACK VOICES', 'HOME & LIVING', 'PARENTS', 'THE WORLDPOST',
  'WEDDINGS', 'WOMEN', 'IMPACT', 'DIVORCE', 'CRIME', 'MEDIA', 'WEIRD NEWS', 'GREEN', 'WORLDPOST', 'RELIGION', 'STYLE',
  'SCIENCE', 'WORLD NEWS', 'TASTE', 'TECH', 'MONEY', 'ARTS', 'FIFTY', 'GOOD NEWS', 'ARTS & CULTURE', 'ENVIRONMENT',
  'COLLEGE', 'LATINO VOICES', 'CULTURE & ARTS', 'EDUCATION',
] as const;

export const HUFFPOST_TRAINING: Readonly<Partial<Record<(typeof HUFFPOST_CATEGORIES)[number], LabelMapping>>> = {
  WELLNESS: { positive: ['health'], candidates: ['fitness'] },
  'HEALTHY LIVING': { positive: ['health'], candidates: ['fitness', 'vegan'] },
  ENTERTAINMENT: { positive: [], candidates: ['movies', 'tv', 'music', 'drama', 'books', 'comics'] },
  COMEDY: { positive: [], candidates: ['tv', 'movies'] },
  TRAVEL: { positive: ['travel'], candidates: ['adventure', 'outdoors'] },
  'STYLE & BEAUTY': { positive: ['fashion'] },
  STYLE: { positive: ['fashion'] },
  PARENTING: { positive: ['family'] },
  PARENTS: { positive: ['family'] },
  'FOOD & DRINK': { positive: ['food'], candidates: ['wine', 'vegan'] },
  TASTE: { positive: ['food'], candidates: ['wine', 'vegan'] },
  BUSINESS: { positive: ['entrepreneurs'], candidates: ['finance'] },
  MONEY: { positive: ['finance'] },
  SPORTS: { positive: ['sports'], candidates: ['cycling', 'fitness'] },
  'HOME & LIVING': { positive: ['home'], candidates: ['plants', 'diy', 'pets'] },
  GREEN: { positive: ['green'], candidates: ['nature'] },
  ENVIRONMENT: { positive: ['green'], candidates: ['nature', 'pets'] },
  TECH: { positive: ['tech'], candidates: ['social_media', 'gaming'] },
  SCIENCE: { positive: [], candidates: ['tech', 'nature', 'history'] },
  ARTS: { positive: ['art'], candidates: ['culture', 'books', 'drama', 'photography', 'history'] },
  'ARTS & CULTURE': { positive: [], candidates: ['art', 'culture', 'books', 'drama', 'photography', 'history'], fallback: ['art', 'culture'] },
  'CULTURE & ARTS': { positive: [], candidates: ['art', 'culture', 'books', 'drama', 'photography', 'history'], fallback: ['art', 'culture'] },
  WEDDINGS: { positive: [], candidates: ['family', 'fashion'] },
  DIVORCE: { positive: [], candidates: ['family'] },
  FIFTY: { positive: [], candidates: ['health', 'family', 'travel'] },
};
