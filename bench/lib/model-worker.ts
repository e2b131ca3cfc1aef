/**
 * Child process of the offline-models benchmark: loads one offline backend from its committed
 * model file and tags or moderates texts in a loop on this one core, reporting load time, resident
 * memory added and throughput. Run alone so neither the other model nor the runner skews memory.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_FLAG_CATEGORIES } from '../../src/domain/moderation/categories.js';
import { DEFAULT_BLOCKLIST } from '../../src/domain/moderation/patterns.js';

type Which = 'tagger' | 'lexicon' | 'moderator';
const [which, textsFile, secondsArg] = process.argv.slice(2) as [Which, string, string];
const texts = JSON.parse(readFileSync(textsFile, 'utf8')) as string[];
const seconds = Number(secondsArg);

global.gc?.();
const rssBefore = process.memoryUsage().rss;
const loadStart = performance.now();
let run: (text: string) => unknown;
if (which === 'lexicon') {
  const { tagWithLexicon } = await import('../../src/domain/tags/lexicon-tagger.js');
  run = (t) => tagWithLexicon(t);
} else if (which === 'tagger') {
  const { taggerModelFile } = await import('../../src/adapters/offline/model-files.js');
  const { createModelTagger } = await import('../../src/domain/tags/model-tagger.js');
  const tagger = createModelTagger(taggerModelFile());
  run = (t) => tagger.tag(t);
} else {
  const { moderatorModelFile } = await import('../../src/adapters/offline/model-files.js');
  const { createOfflineModerator } = await import('../../src/domain/moderation/offline-moderator.js');
  const moderate = createOfflineModerator(moderatorModelFile(), {
    spam: { blocklist: DEFAULT_BLOCKLIST, maxLinks: 3, maxMentions: 5, maxRepeatedChars: 9 },
    flagCategories: DEFAULT_FLAG_CATEGORIES,
  });
  run = (t) => moderate(t);
}
run(texts[0]!);
const loadMs = performance.now() - loadStart;
global.gc?.();
const rssAfterLoad = process.memoryUsage().rss;

// Warm-up, then as many texts as fit in the time budget.
for (let i = 0; i < Math.min(2000, texts.length); i++) run(texts[i]!);
let done = 0;
const started = performance.now();
const until = started + seconds * 1000;
while (performance.now() < until) {
  for (let i = 0; i < 500; i++) run(texts[(done + i) % texts.length]!);
  done += 500;
}
const elapsed = performance.now() - started;
process.send!({ which, loadMs, rssAddedMb: (rssAfterLoad - rssBefore) / 2 ** 20, peakRssMb: process.memoryUsage().rss / 2 ** 20, texts: done, perSecond: done / (elapsed / 1000) });
