import { PermanentError } from '../../domain/errors.js';
import OpenAI from 'openai';
import { z } from 'zod';
import type { TaggerBackend } from '../../domain/tags/ports.js';
import { createLimiter } from './concurrency.js';

export interface OpenAIOptions {
  apiKey: string;
  /** Any OpenAI-compatible server: vLLM, Ollama, llama.cpp … */
  baseURL?: string | undefined;
  model: string;
  /** Per attempt. */
  timeoutMs: number;
  /** The SDK retries 408/409/429/5xx and timeouts with exponential backoff, honouring Retry-After. */
  maxRetries: number;
  concurrency: number;
}

export function createOpenAIClient(options: Pick<OpenAIOptions, 'apiKey' | 'baseURL' | 'timeoutMs' | 'maxRetries'>): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
}

const Answer = z.object({ tags: z.array(z.string()) });

/** A bad payload will not get better by asking again. */
export class MalformedAnswerError extends PermanentError {
  override name = 'MalformedAnswerError';
}

/**
 * Chat completions with structured output: a JSON schema whose items are the vocabulary enum,
 * so a conforming server cannot invent tags. Servers that ignore the schema are still filtered
 * by the tagging service. Throws on transport failure after the SDK's retries, or
 * MalformedAnswerError when the answer is not the requested JSON.
 */
export function createOpenAITagger(options: OpenAIOptions, vocabulary: readonly string[]): TaggerBackend {
  const client = createOpenAIClient(options);
  const limit = createLimiter(options.concurrency);
  const system =
    'You label tweets with interest tags for a recommendation system. Choose 1 to 5 tags that fit the ' +
    'tweet, most relevant first, only from this list: ' +
    vocabulary.join(', ') +
    '. Answer with JSON {"tags": [...]}.';
  return {
    name: 'openai',
    tag: (text) =>
      limit(async () => {
        const completion = await client.chat.completions.create({
          model: options.model,
          temperature: 0,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: text },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'tweet_tags',
              strict: true,
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['tags'],
                properties: { tags: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', enum: [...vocabulary] } } },
              },
            },
          },
        });
        const content = completion.choices[0]?.message.content;
        let json: unknown;
        try {
          json = JSON.parse(content ?? '');
        } catch {
          throw new MalformedAnswerError(`tagger answer is not JSON: ${String(content).slice(0, 80)}`);
        }
        const parsed = Answer.safeParse(json);
        if (!parsed.success) throw new MalformedAnswerError('tagger answer has no tags array');
        return parsed.data.tags;
      }),
  };
}
