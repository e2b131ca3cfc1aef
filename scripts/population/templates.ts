import type { Tag } from '../../src/domain/tags/vocabulary.js';

/**
 * Per-topic tweet material for the synthetic population: each phrase uses words the offline
 * lexicon counts as strong evidence for the topic's tag and none for another generator topic, so
 * the tagger (not the generator) decides tags, and a unit test checks it agrees. `tag` is the
 * topic's ground truth: the hidden interest a tweet serves.
 */
export interface TopicTemplates {
  tag: Tag;
  phrases: readonly string[];
}

export const TOPIC_TEMPLATES: readonly TopicTemplates[] = [
  {
    tag: 'sports_fans',
    phrases: [
      'the basketball playoffs tonight',
      'that touchdown in the fourth quarter',
      'our striker scoring a hat trick',
      'the tennis championship at Wimbledon',
      'a new jersey for the derby at the stadium',
      'the hockey overtime winner',
      'the quarterback and that last drive',
    ],
  },
  {
    tag: 'foodies',
    phrases: [
      'a new ramen restaurant downtown',
      'the perfect pizza recipe',
      'baking croissants all morning',
      'the spicy tacos at the food truck',
      'a brunch spot with amazing pancakes',
      'cooking a curry with fresh chili',
      'the dumplings at that dim sum place',
    ],
  },
  {
    tag: 'music_lovers',
    phrases: [
      'the new album on repeat',
      'the concert last night',
      'learning guitar chords',
      'a vinyl haul from the flea market',
      'the band coming back for an encore',
      'this jazz playlist',
      'the singer hitting that high note',
    ],
  },
  {
    tag: 'movie_lovers',
    phrases: [
      'the new film at the cinema',
      'a movie night double feature',
      'the trailer for that sequel',
      'the best picture race at the Oscars',
      'a late screening at the film festival',
      'the cinematography in that Villeneuve film',
    ],
  },
  {
    tag: 'gamers',
    phrases: [
      'a boss fight in Elden Ring',
      'my new PS5 controller',
      'speedrun attempts on Mario',
      'multiplayer co-op with friends',
      'the patch notes for the new DLC',
      'grinding loot in this RPG',
    ],
  },
  {
    tag: 'wanderlust',
    phrases: [
      'my flight to Lisbon',
      'a backpacking itinerary for next month',
      'jet lag after that layover',
      'packing my suitcase for vacation',
      'the airport lounge before a long flight',
      'renewing my passport for a trip abroad',
    ],
  },
  {
    tag: 'tech_savvy',
    phrases: [
      'my new laptop setup',
      'debugging Python code',
      'a Raspberry Pi home server',
      'the smartphone software update',
      'machine learning benchmark results',
      'a new GPU for the workstation',
    ],
  },
  {
    tag: 'bookworms',
    phrases: [
      'the novel I just finished',
      'our book club pick',
      'a paperback from the bookstore',
      'an audiobook on my Kindle',
      'chapter twelve of this memoir',
      'the library holds I picked up',
    ],
  },
  {
    tag: 'art_lovers',
    phrases: [
      'a watercolor painting of the harbour',
      'a charcoal sketch before breakfast',
      'an acrylic portrait on canvas',
      'the street art downtown',
      'my digital art in Procreate',
      'the impressionist artwork by Monet',
    ],
  },
  {
    tag: 'finance_fanatics',
    phrases: [
      'my index fund portfolio',
      'dividend stocks for the long run',
      'the mortgage interest rate',
      'building an emergency fund',
      'my retirement savings plan',
      'the stock market dip',
    ],
  },
  {
    tag: 'pet_lovers',
    phrases: [
      'my puppy at the dog park',
      'the kitten chasing a string',
      'our golden retriever',
      'adopting a rescue cat',
      'our corgi begging for kibble',
      'the vet visit with my pup',
    ],
  },
  {
    tag: 'fitness_freaks',
    phrases: [
      'leg day at the gym',
      'a new deadlift personal record',
      'marathon training this week',
      'a kettlebell workout',
      'pushups and burpees before work',
      'my crossfit class',
    ],
  },
  {
    tag: 'plant_lovers',
    phrases: [
      'repotting my pothos',
      'the succulent on my desk',
      'the raised beds in my garden',
      'propagating a snake plant',
      'my bonsai after pruning',
      'a new orchid for the greenhouse',
    ],
  },
  {
    tag: 'car_lovers',
    phrases: [
      'the turbo engine swap',
      'a classic car show',
      'the Porsche at cars and coffee',
      'an oil change in the driveway',
      'driving stick shift again',
      'new tires for the supercar',
    ],
  },
  {
    tag: 'photography_fanatics',
    phrases: [
      'long exposure shots with my tripod',
      'a new mirrorless camera',
      'editing in Lightroom',
      'street photography downtown',
      'a 35mm film camera',
      'a new zoom lens',
    ],
  },
  {
    tag: 'wine_connoisseurs',
    phrases: [
      'a bottle of Barolo',
      'wine tasting at the vineyard',
      "the sommelier's pick",
      'a crisp sauvignon blanc',
      'a glass of pinot grigio',
      'the winery tour',
    ],
  },
  {
    tag: 'cycling_enthusiasts',
    phrases: [
      'a century ride',
      'my new road bike',
      'watching the Tour de France',
      'the new bike lane',
      'a gravel bike for the weekend',
      'my cycling cadence drills',
    ],
  },
  {
    tag: 'diy_crafts',
    phrases: [
      'knitting a scarf',
      'a crochet blanket',
      'woodworking a small stool',
      'an embroidery hoop',
      'upcycled jars as vases',
      'my sewing machine',
    ],
  },
  {
    tag: 'history_lovers',
    phrases: [
      'the medieval castle',
      'ancient ruins near Athens',
      'the WW2 archives',
      'the Tudor dynasty',
      'a Viking artifact',
      'the Renaissance documentary',
    ],
  },
  {
    tag: 'comic_book_buffs',
    phrases: [
      'the new Marvel comic',
      'a graphic novel about a superhero',
      'the latest manga volume',
      'a variant cover',
      'my comic con haul',
      'the Avengers comic book run',
    ],
  },
];

/** Neutral framing: no lexicon evidence for any topic, so the phrase alone decides the tags. */
export const OPENERS = ['Honestly,', 'Big day:', 'Small joy:', 'Hot take:', 'Still thinking about', 'Loved', 'Cannot stop talking about', 'Today:'] as const;
export const CLOSERS = ['!', '.', '. Thoughts?', '. Worth it.', ' and I regret nothing.', '. More soon.'] as const;
