import type { Config } from '../../config/index.js';
import type { ModerationLabel } from '../../domain/moderation/categories.js';
import { createOfflineModerator } from '../../domain/moderation/offline-moderator.js';
import { tagWithLexicon } from '../../domain/tags/lexicon-tagger.js';
import { createModelTagger } from '../../domain/tags/model-tagger.js';
import { TAG_VOCABULARY } from '../../domain/tags/vocabulary.js';
import type { ModeratorBackend } from '../../domain/moderation/ports.js';
import type { TaggerBackend } from '../../domain/tags/ports.js';
import { moderatorModelFile, taggerModelFile } from '../offline/model-files.js';
import { createOpenAIModerator } from './openai-moderator.js';
import { createOpenAITagger } from './openai-tagger.js';

/** The hand-written keyword tagger the trained one grew from; selectable with TAGGER_BACKEND=lexicon. */
export const lexiconTagger: TaggerBackend = { name: 'lexicon', tag: async (text) => tagWithLexicon(text) };

/** The trained offline tagger (models/tagger/). Loads the model now: a missing or corrupt file fails at start, not per tweet. */
export function offlineTagger(): TaggerBackend {
  const model = createModelTagger(taggerModelFile());
  return { name: 'offline', tag: async (text) => model.tag(text) };
}

/** The offline moderator (models/moderator/ plus word lists and rules). Loads the model now, like offlineTagger. */
export function offlineModerator(config: Config['moderation']): ModeratorBackend & { labels(text: string): ModerationLabel[] } {
  const moderate = createOfflineModerator(moderatorModelFile(), { spam: config.rules, flagCategories: config.flagCategories });
  return { name: 'offline', moderate: async (text) => moderate(text), labels: (text) => moderate(text).labels };
}

/** The backend configuration asks for; the offline tagger is the fallback (the lexicon's when it was asked for). */
export function taggerBackends(config: Pick<Config, 'tagger' | 'llm'>): { primary: TaggerBackend; fallback: TaggerBackend } {
  if (config.tagger.backend === 'lexicon') return { primary: lexiconTagger, fallback: lexiconTagger };
  const offline = offlineTagger();
  if (config.tagger.backend === 'offline' || !config.llm.apiKey) return { primary: offline, fallback: offline };
  const primary = createOpenAITagger({ ...config.llm, apiKey: config.llm.apiKey, model: config.tagger.model }, TAG_VOCABULARY);
  return { primary, fallback: offline };
}

/**
 * The moderator configuration asks for, the offline one as fallback. OpenAI's endpoint has no spam
 * category, so its verdicts get the offline moderator's spam label added.
 */
export function moderatorBackends(config: Pick<Config, 'moderation' | 'llm'>): { primary: ModeratorBackend; fallback: ModeratorBackend } {
  const fallback = offlineModerator(config.moderation);
  if (config.moderation.backend === 'offline' || !config.llm.apiKey) return { primary: fallback, fallback };
  const primary = createOpenAIModerator(
    { ...config.llm, apiKey: config.llm.apiKey, model: config.moderation.model },
    { flagCategories: config.moderation.flagCategories, supplement: (text) => fallback.labels(text).filter((l) => l.category === 'spam') },
  );
  return { primary, fallback };
}
