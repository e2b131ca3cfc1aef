import type { ModerationLabel } from '../domain/moderation/categories.js';
import type { ModeratorBackend } from '../domain/moderation/ports.js';
import type { ModerationVerdict, ModeratorBackendName } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';

export interface Moderation {
  /** A verdict and the backend that gave it. Never throws for a backend failure. */
  moderate(text: string): Promise<ModerationVerdict>;
}

/** The configured backend, falling back to the offline moderator when it fails after its retries. */
export function createModeration(deps: { primary: ModeratorBackend; fallback: ModeratorBackend; logger: Logger }): Moderation {
  const run = async (backend: ModeratorBackend, text: string): Promise<ModerationVerdict> => {
    const { flagged, labels } = await backend.moderate(text);
    return { flagged, categories: labels.map((l) => l.category), labels, backend: backend.name };
  };
  return {
    async moderate(text) {
      if (deps.primary.name === deps.fallback.name) return run(deps.fallback, text);
      try {
        return await run(deps.primary, text);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'moderation backend failed; using the offline moderator');
        return run(deps.fallback, text);
      }
    },
  };
}
