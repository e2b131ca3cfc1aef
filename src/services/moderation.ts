import type { ModeratorBackend } from '../domain/moderation/ports.js';
import type { ModerationVerdict, ModeratorBackendName } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';

export interface Moderation {
  /** A verdict and the backend that gave it. Never throws for a backend failure. */
  moderate(text: string): Promise<ModerationVerdict>;
}

/** The configured backend, falling back to the offline rules when it fails after its retries. */
export function createModeration(deps: { primary: ModeratorBackend; fallback: ModeratorBackend; logger: Logger }): Moderation {
  const run = async (backend: ModeratorBackend, text: string): Promise<ModerationVerdict> => ({
    ...(await backend.moderate(text)),
    backend: backend.name,
  });
  return {
    async moderate(text) {
      if (deps.primary.name === deps.fallback.name) return run(deps.fallback, text);
      try {
        return await run(deps.primary, text);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'moderation backend failed; using the rules');
        return run(deps.fallback, text);
      }
    },
  };
}
