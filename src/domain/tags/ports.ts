import type { TaggerBackendName } from '../types.js';

/** What tagging needs: the backends that choose tags, the LLM answer cache, and the tag index ranking reads. Adapters implement these; only the composition root knows which. */

/** One way of choosing tags for a text. Output is untrusted: the tagging service filters it. */
export interface TaggerBackend {
  name: TaggerBackendName;
  tag(text: string): Promise<string[]>;
}

/** Recent tweet ids per tag, newest first, capped: candidate generation for ranking. */
export interface TagIndex {
  /** Idempotent. */
  add(tweetId: string, tags: readonly string[]): Promise<void>;
  remove(tweetId: string, tags: readonly string[]): Promise<void>;
  recent(tag: string, limit: number): Promise<string[]>;
  /** `recent` for several tags in one round trip, in input order. */
  recentMany(tags: readonly string[], limit: number): Promise<string[][]>;
}

/** Remembers what the LLM answered for a text, so the same text is never paid for twice. */
export interface TagCache {
  get(text: string): Promise<string[] | null>;
  set(text: string, tags: readonly string[]): Promise<void>;
}
