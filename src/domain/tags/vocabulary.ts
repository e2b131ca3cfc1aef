/**
 * The fixed interest-tag vocabulary. Order is meaningful: taggers break score ties by it, so
 * changing it changes output. Names are the article's 50 tags normalised to snake_case.
 */
export const TAG_VOCABULARY = [
  'movie_lovers',
  'sports_fans',
  'music_lovers',
  'fashion_lovers',
  'foodies',
  'gamers',
  'wanderlust',
  'tech_savvy',
  'bookworms',
  'drama_lovers',
  'art_lovers',
  'finance_fanatics',
  'social_media_junkies',
  'culture_vultures',
  'pet_lovers',
  'family_oriented',
  'health_enthusiasts',
  'history_lovers',
  'diy_crafts',
  'photography_fanatics',
  'outdoors_adventurers',
  'car_lovers',
  'green_living',
  'nature_lovers',
  'fashion_followers',
  'culture_aficionados',
  'travel_bugs',
  'comic_book_buffs',
  'eco_friendly',
  'cycling_enthusiasts',
  'vegan_advocates',
  'music_aficionados',
  'eco_warriors',
  'entrepreneurs',
  'movie_buffs',
  'adventure_seekers',
  'tech_geeks',
  'tv_show_lovers',
  'fitness_freaks',
  'outdoor_enthusiasts',
  'gamers_tribe',
  'wine_connoisseurs',
  'home_decor_lovers',
  'sports_enthusiasts',
  'social_media_geeks',
  'comic_lovers',
  'food_fanatics',
  'plant_lovers',
  'interior_design_lovers',
  'nature_aficionados',
] as const;

/** One interest tag from {@link TAG_VOCABULARY}. */
export type Tag = (typeof TAG_VOCABULARY)[number];

/** Upper bound on tags attached to one tweet, whatever backend produced them. */
export const MAX_TAGS_PER_TWEET = 5;

const TAG_SET: ReadonlySet<string> = new Set(TAG_VOCABULARY);

/** True iff `value` is exactly (case-sensitively) a vocabulary tag. */
export function isTag(value: string): value is Tag {
  return TAG_SET.has(value);
}

/**
 * The filter every tagger backend's output goes through before it is stored.
 *
 * Each candidate is trimmed, lowercased and has runs of `-`/whitespace mapped to `_` (so an
 * LLM's `Eco-Friendly` becomes `eco_friendly`); anything still not in the vocabulary is dropped.
 * Input order is taken as relevance order: duplicates keep their first position, and the result
 * is cut to the first `max` tags (`max` is floored; negative or NaN means none).
 */
export function normalizeTags(candidates: readonly string[], max = MAX_TAGS_PER_TWEET): Tag[] {
  const limit = Number.isNaN(max) ? 0 : Math.max(0, Math.floor(max));
  const out: Tag[] = [];
  const seen = new Set<Tag>();
  for (const raw of candidates) {
    if (out.length >= limit) break;
    const candidate = raw
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (!isTag(candidate) || seen.has(candidate)) continue;
    seen.add(candidate);
    out.push(candidate);
  }
  return out;
}
