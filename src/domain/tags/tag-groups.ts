import { TAG_VOCABULARY, type Tag } from './vocabulary.js';

/**
 * The vocabulary's 50 tags in 34 interest groups. Near-synonyms (movie_lovers / movie_buffs,
 * the three eco tags, …) are one interest to a reader and to every labelled corpus we train on,
 * so the offline tagger scores a group and credits all its tags together, as the lexicon does.
 * Order is vocabulary order of each group's first tag; every tag is in exactly one group
 * (a unit test checks it).
 */
export const TAG_GROUPS = [
  { id: 'movies', tags: ['movie_lovers', 'movie_buffs'] },
  { id: 'sports', tags: ['sports_fans', 'sports_enthusiasts'] },
  { id: 'music', tags: ['music_lovers', 'music_aficionados'] },
  { id: 'fashion', tags: ['fashion_lovers', 'fashion_followers'] },
  { id: 'food', tags: ['foodies', 'food_fanatics'] },
  { id: 'gaming', tags: ['gamers', 'gamers_tribe'] },
  { id: 'travel', tags: ['wanderlust', 'travel_bugs'] },
  { id: 'tech', tags: ['tech_savvy', 'tech_geeks'] },
  { id: 'books', tags: ['bookworms'] },
  { id: 'drama', tags: ['drama_lovers'] },
  { id: 'art', tags: ['art_lovers'] },
  { id: 'finance', tags: ['finance_fanatics'] },
  { id: 'social_media', tags: ['social_media_junkies', 'social_media_geeks'] },
  { id: 'culture', tags: ['culture_vultures', 'culture_aficionados'] },
  { id: 'pets', tags: ['pet_lovers'] },
  { id: 'family', tags: ['family_oriented'] },
  { id: 'health', tags: ['health_enthusiasts'] },
  { id: 'history', tags: ['history_lovers'] },
  { id: 'diy', tags: ['diy_crafts'] },
  { id: 'photography', tags: ['photography_fanatics'] },
  { id: 'outdoors', tags: ['outdoors_adventurers', 'outdoor_enthusiasts'] },
  { id: 'cars', tags: ['car_lovers'] },
  { id: 'green', tags: ['green_living', 'eco_friendly', 'eco_warriors'] },
  { id: 'nature', tags: ['nature_lovers', 'nature_aficionados'] },
  { id: 'comics', tags: ['comic_book_buffs', 'comic_lovers'] },
  { id: 'cycling', tags: ['cycling_enthusiasts'] },
  { id: 'vegan', tags: ['vegan_advocates'] },
  { id: 'entrepreneurs', tags: ['entrepreneurs'] },
  { id: 'adventure', tags: ['adventure_seekers'] },
  { id: 'tv', tags: ['tv_show_lovers'] },
  { id: 'fitness', tags: ['fitness_freaks'] },
  { id: 'wine', tags: ['wine_connoisseurs'] },
  { id: 'home', tags: ['home_decor_lovers', 'interior_design_lovers'] },
  { id: 'plants', tags: ['plant_lovers'] },
] as const satisfies readonly { id: string; tags: readonly Tag[] }[];

/** One interest group's id. */
export type TagGroupId = (typeof TAG_GROUPS)[number]['id'];

export const TAG_GROUP_IDS: readonly TagGroupId[] = TAG_GROUPS.map((g) => g.id);

const GROUP_OF_TAG = new Map<Tag, TagGroupId>(TAG_GROUPS.flatMap((g) => g.tags.map((t) => [t as Tag, g.id] as const)));

/** The group a vocabulary tag belongs to. */
export function groupOfTag(tag: Tag): TagGroupId {
  const group = GROUP_OF_TAG.get(tag);
  // Unreachable while the unit test holds; a clear message if someone adds a tag and forgets it.
  if (!group) throw new Error(`tag ${tag} is in no tag group`);
  return group;
}

/** The tags of a group, in vocabulary order. */
export function tagsOfGroup(id: TagGroupId): readonly Tag[] {
  return TAG_GROUPS.find((g) => g.id === id)!.tags;
}

/** True iff every vocabulary tag is in exactly one group and every group tag is in the vocabulary. */
export function groupsCoverVocabulary(): boolean {
  const all = TAG_GROUPS.flatMap((g) => [...g.tags]);
  return all.length === TAG_VOCABULARY.length && new Set(all).size === all.length && TAG_VOCABULARY.every((t) => all.includes(t));
}
