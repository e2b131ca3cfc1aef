import type { ModeratorBackendName } from '../types.js';
import type { ModerationLabel } from './categories.js';

/** What moderation needs: the backends that judge a text. Adapters implement these; only the composition root knows which. */

/** One way of judging a text against the guidelines. Output is untrusted. */
export interface ModeratorBackend {
  name: ModeratorBackendName;
  /** Labels found and whether the policy flags them; throws when the backend cannot answer. */
  moderate(text: string): Promise<{ flagged: boolean; labels: ModerationLabel[] }>;
}
