import type { Config } from '../../config/index.js';
import { moderateByRules } from '../../domain/moderation/rules.js';
import { tagWithLexicon } from '../../domain/tags/lexicon-tagger.js';
import { TAG_VOCABULARY } from '../../domain/tags/vocabulary.js';
import type { ModeratorBackend } from '../../domain/moderation/ports.js';
import type { TaggerBackend } from '../../domain/tags/ports.js';
import { createOpenAIModerator } from './openai-moderator.js';
import { createOpenAITagger } from './openai-tagger.js';

export const lexiconTagger: TaggerBackend = { name: 'lexicon', tag: async (text) => tagWithLexicon(text) };

export function rulesModerator(rules: Config['moderation']['rules']): ModeratorBackend {
  return { name: 'rules', moderate: async (text) => moderateByRules(text, rules) };
}

/** The backend configuration asks for; the offline one is always the fallback. */
export function taggerBackends(config: Pick<Config, 'tagger' | 'llm'>): { primary: TaggerBackend; fallback: TaggerBackend } {
  if (config.tagger.backend === 'lexicon' || !config.llm.apiKey) return { primary: lexiconTagger, fallback: lexiconTagger };
  const primary = createOpenAITagger({ ...config.llm, apiKey: config.llm.apiKey, model: config.tagger.model }, TAG_VOCABULARY);
  return { primary, fallback: lexiconTagger };
}

export function moderatorBackends(config: Pick<Config, 'moderation' | 'llm'>): { primary: ModeratorBackend; fallback: ModeratorBackend } {
  const fallback = rulesModerator(config.moderation.rules);
  if (config.moderation.backend === 'rules' || !config.llm.apiKey) return { primary: fallback, fallback };
  return { primary: createOpenAIModerator({ ...config.llm, apiKey: config.llm.apiKey, model: config.moderation.model }), fallback };
}
