import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offlineModerator, offlineTagger } from '../src/adapters/llm/backends.js';
import { createOpenAIModerator } from '../src/adapters/llm/openai-moderator.js';
import { createOpenAITagger } from '../src/adapters/llm/openai-tagger.js';
import { createTagCache } from '../src/adapters/redis/tag-index.js';
import { DEFAULT_FLAG_CATEGORIES } from '../src/domain/moderation/categories.js';
import { DEFAULT_BLOCKLIST } from '../src/domain/moderation/patterns.js';
import { TAG_VOCABULARY } from '../src/domain/tags/vocabulary.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';
import { createModeration } from '../src/services/moderation.js';
import { createTagging, type Tagging } from '../src/services/tagging.js';
import { startFakeOpenAI, type FakeOpenAI } from './harness/fake-openai.js';

const logger = createLogger({ level: 'silent' });
const llm = { apiKey: 'test-key', timeoutMs: 300, maxRetries: 2, concurrency: 2 };
const NOW = '2026-01-02T03:04:05.000Z';

/** The real `openai` SDK against our local OpenAI-compatible server, with a real Redis cache. */
describe('LLM tagger and moderator backends', () => {
  let fake: FakeOpenAI;
  let redisServer: LocalRedis;
  let redis: Redis;
  let dataDir: string;
  let tagging: Tagging;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    dataDir = mkdtempSync(path.join(import.meta.dirname, '..', '.local', 'test-redis-'));
    redisServer = await startLocalRedis({ dataDir, logger });
    redis = new Redis(redisServer.url);
    const primary = createOpenAITagger({ ...llm, baseURL: fake.baseURL, model: 'test-model' }, TAG_VOCABULARY);
    tagging = createTagging({ primary, fallback: offlineTagger(), cache: createTagCache(redis, 3600), logger, now: () => new Date(NOW) });
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a good answer, asks with the vocabulary as a JSON-schema enum, and never pays twice for a text', async () => {
    const text = 'Marathon training done, legs are jelly';
    expect(await tagging.tag(text)).toEqual({ tags: ['sports_fans', 'fitness_freaks'], backend: 'openai', taggedAt: NOW });
    const format = fake.requests[0]!.body.response_format as { type: string; json_schema: { strict: boolean; schema: { properties: { tags: { items: { enum: string[] } } } } } };
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.properties.tags.items.enum).toEqual([...TAG_VOCABULARY]);

    expect(await tagging.tag(text)).toEqual({ tags: ['sports_fans', 'fitness_freaks'], backend: 'openai', taggedAt: NOW });
    expect(fake.count('/chat/completions')).toBe(1);
  });

  it('filters tags outside the vocabulary, de-duplicates and normalises spelling', async () => {
    const result = await tagging.tag('Book club tonight [offvocab]');
    expect(result).toEqual({ tags: ['bookworms', 'eco_friendly'], backend: 'openai', taggedAt: NOW });
  });

  it('falls back to the offline tagger on a malformed answer, without retrying it', async () => {
    const result = await tagging.tag('Just finished a new novel, my book club will love it [malformed]');
    expect(result.backend).toBe('offline');
    expect(result.tags[0]).toBe('bookworms');
    expect(fake.count('/chat/completions')).toBe(1);
  });

  it('retries a request that hangs past the timeout, then falls back to the offline tagger', async () => {
    const result = await tagging.tag('New novel out, book club picks it [hang]');
    expect(result.backend).toBe('offline');
    expect(fake.count('/chat/completions', '[hang]')).toBe(1 + llm.maxRetries);
  });

  it('retries after 429 and keeps the answer that follows', async () => {
    const result = await tagging.tag('Leg day again [429]');
    expect(result).toEqual({ tags: ['sports_fans', 'fitness_freaks'], backend: 'openai', taggedAt: NOW });
    expect(fake.count('/chat/completions', '[429]')).toBe(2);
  });

  it('retries 5xx up to the limit, then falls back', async () => {
    const result = await tagging.tag('Reading all weekend [500]');
    expect(result.backend).toBe('offline');
    expect(fake.count('/chat/completions', '[500]')).toBe(1 + llm.maxRetries);
  });

  it('moderates through the moderation endpoint in our categories, and falls back to the offline moderator when it fails', async () => {
    const offline = offlineModerator({ backend: 'offline', model: 'x', flagCategories: [...DEFAULT_FLAG_CATEGORIES], rules: { blocklist: DEFAULT_BLOCKLIST, maxLinks: 3, maxMentions: 5, maxRepeatedChars: 9 } });
    const moderation = createModeration({
      primary: createOpenAIModerator(
        { ...llm, baseURL: fake.baseURL, model: 'omni-moderation-latest' },
        { flagCategories: DEFAULT_FLAG_CATEGORIES, supplement: (text) => offline.labels(text).filter((l) => l.category === 'spam') },
      ),
      fallback: offline,
      logger,
    });
    expect(await moderation.moderate('you people [flag]')).toEqual({
      flagged: true,
      categories: ['insult', 'threat'],
      labels: [
        { category: 'insult', severity: 'high', source: 'openai:harassment' },
        { category: 'threat', severity: 'high', source: 'openai:harassment/threatening' },
      ],
      backend: 'openai',
    });
    expect(await moderation.moderate('lovely day')).toEqual({ flagged: false, categories: [], labels: [], backend: 'openai' });
    // The endpoint knows no spam: the offline spam rules add it.
    expect(await moderation.moderate('buy followers now, cheap')).toMatchObject({ flagged: true, categories: ['spam'], backend: 'openai' });
    expect(await moderation.moderate('buy followers now [500]')).toMatchObject({
      flagged: true,
      categories: ['spam'],
      labels: [{ category: 'spam', severity: 'high', source: 'pattern:blocklist' }],
      backend: 'offline',
    });
  });
});
