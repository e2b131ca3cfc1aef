import { describe, expect, it } from 'vitest';
import { TWEETS_PARTITIONS_AT_ONCE } from './definition.js';
import { consumerDefinitions, type ConsumerDeps } from './index.js';

describe('consumer definitions', () => {
  it('lets the groups on the tweets topic work on its partitions at once (one at a time, fan-out queued up at 50 tweets/s)', () => {
    // Building a definition touches none of its ports.
    const definitions = consumerDefinitions({ fanOutPolicy: { chunkSize: 1000, celebrityThreshold: 50_000, splitAbove: 20_000 } } as unknown as ConsumerDeps);
    expect(TWEETS_PARTITIONS_AT_ONCE).toBeGreaterThan(1);
    expect(definitions.fanout.partitionsAtOnce).toBe(TWEETS_PARTITIONS_AT_ONCE);
    expect(definitions['tweet-store'].partitionsAtOnce).toBe(TWEETS_PARTITIONS_AT_ONCE);
  });
});
