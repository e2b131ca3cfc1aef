import type { ModeratorBackendName } from '../types.js';

/** What moderation needs: the backends that judge a text. Adapters implement these; only the composition root knows which. */

/** One way of judging a text against the guidelines. Output is untrusted. */
export interface ModeratorBackend {
  name: ModeratorBackendName;
  moderate(text: string): Promise<{ flagged: boolean; categories: string[] }>;
}
