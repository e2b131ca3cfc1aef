import type { ModeratorBackend } from '../../domain/moderation/ports.js';
import { createLimiter } from './concurrency.js';
import { createOpenAIClient, type OpenAIOptions } from './openai-tagger.js';

/** The moderation endpoint through the SDK; categories are the ones it reports true. */
export function createOpenAIModerator(options: OpenAIOptions): ModeratorBackend {
  const client = createOpenAIClient(options);
  const limit = createLimiter(options.concurrency);
  return {
    name: 'openai',
    moderate: (text) =>
      limit(async () => {
        const response = await client.moderations.create({ model: options.model, input: text });
        const result = response.results[0];
        if (!result) throw new Error('moderation answer has no result');
        const categories = Object.entries(result.categories as unknown as Record<string, boolean>)
          .filter(([, hit]) => hit === true)
          .map(([name]) => name);
        return { flagged: result.flagged, categories };
      }),
  };
}
