import type { TagCache, TaggerBackend } from '../domain/tags/ports.js';
import { normalizeTags } from '../domain/tags/vocabulary.js';
import type { TaggerBackendName, TweetTags } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';

export interface Tagging {
  /**
   * 0 to 5 vocabulary tags, best first, which backend chose them and when. Zero tags is an
   * answer ("about none of our interests"), not a failure. Never throws for a backend failure.
   */
  tag(text: string): Promise<TweetTags>;
}

/**
 * The tagging policy: ask the configured backend; keep only vocabulary tags, de-duplicated, at
 * most five; when the LLM fails after its retries, answers garbage or nothing usable, use the
 * offline tagger and say so. LLM answers are cached by text, so the same text is never paid for twice.
 */
export function createTagging(deps: {
  primary: TaggerBackend;
  fallback: TaggerBackend;
  cache: TagCache;
  logger: Logger;
  /** The clock taggedAt is read from (tests pin it). */
  now?: () => Date;
}): Tagging {
  const { primary, fallback } = deps;
  const now = deps.now ?? (() => new Date());
  const stamp = (tags: string[], backend: TaggerBackendName): TweetTags => ({ tags, backend, taggedAt: now().toISOString() });
  const fromFallback = async (text: string): Promise<TweetTags> => stamp(normalizeTags(await fallback.tag(text)), fallback.name);
  if (primary.name === fallback.name) return { tag: fromFallback };
  return {
    async tag(text) {
      const cached = await deps.cache.get(text);
      if (cached) return stamp(normalizeTags(cached), primary.name);
      try {
        const raw = await primary.tag(text);
        const tags = normalizeTags(raw);
        if (tags.length > 0) {
          if (tags.length < raw.length) deps.logger.info({ raw, kept: tags }, 'dropped tags outside the vocabulary');
          await deps.cache.set(text, tags);
          return stamp(tags, primary.name);
        }
        deps.logger.warn({ raw }, 'LLM chose no vocabulary tag; using the offline tagger');
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message, backend: primary.name }, 'tagger backend failed; using the offline tagger');
      }
      return fromFallback(text);
    },
  };
}
