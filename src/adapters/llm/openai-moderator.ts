import { decideFlag, mergeLabels, type ModerationCategory, type ModerationLabel, type Severity } from '../../domain/moderation/categories.js';
import type { ModeratorBackend } from '../../domain/moderation/ports.js';
import { createLimiter } from './concurrency.js';
import { createOpenAIClient, type OpenAIOptions } from './openai-tagger.js';

/**
 * OpenAI's moderation categories in ours, with the severity a hit gets (raised to high when the
 * category score is at least HIGH_SCORE). Self-harm has no counterpart here and is not mapped.
 */
export const OPENAI_CATEGORY_MAP: Readonly<Record<string, { category: ModerationCategory; severity: Severity }>> = {
  harassment: { category: 'insult', severity: 'medium' },
  'harassment/threatening': { category: 'threat', severity: 'high' },
  hate: { category: 'hate', severity: 'high' },
  'hate/threatening': { category: 'hate', severity: 'high' },
  violence: { category: 'threat', severity: 'medium' },
  'violence/graphic': { category: 'threat', severity: 'medium' },
  'illicit/violent': { category: 'threat', severity: 'medium' },
  sexual: { category: 'sexual', severity: 'medium' },
  'sexual/minors': { category: 'sexual', severity: 'high' },
};
const HIGH_SCORE = 0.8;

/** OpenAI's answer for one input, as far as we read it. */
export function labelsFromOpenAI(categories: Record<string, boolean>, scores: Record<string, number>): ModerationLabel[] {
  const out: ModerationLabel[] = [];
  for (const [name, hit] of Object.entries(categories)) {
    const mapped = OPENAI_CATEGORY_MAP[name];
    if (hit !== true || !mapped) continue;
    const severity = (scores[name] ?? 0) >= HIGH_SCORE ? 'high' : mapped.severity;
    out.push({ category: mapped.category, severity, source: `openai:${name}` });
  }
  return out;
}

/**
 * The moderation endpoint through the SDK, its categories mapped onto ours and flagged by our
 * policy (not by the endpoint's own `flagged`, which also hides harassment). `supplement` adds
 * labels for what the endpoint does not cover (spam). Throws on transport failure after retries.
 */
export function createOpenAIModerator(
  options: OpenAIOptions,
  policy: { flagCategories: readonly ModerationCategory[]; supplement?: (text: string) => ModerationLabel[] },
): ModeratorBackend {
  const client = createOpenAIClient(options);
  const limit = createLimiter(options.concurrency);
  return {
    name: 'openai',
    moderate: (text) =>
      limit(async () => {
        const response = await client.moderations.create({ model: options.model, input: text });
        const result = response.results[0];
        if (!result) throw new Error('moderation answer has no result');
        const labels = mergeLabels([
          ...labelsFromOpenAI(result.categories as unknown as Record<string, boolean>, (result.category_scores ?? {}) as unknown as Record<string, number>),
          ...(policy.supplement?.(text) ?? []),
        ]);
        return { flagged: decideFlag(labels, policy.flagCategories), labels };
      }),
  };
}
