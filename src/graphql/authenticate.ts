import { unauthenticated, type DomainError } from '../domain/errors.js';
import type { TokenService } from '../domain/tokens.js';

export interface Authentication {
  viewerId: string | null;
  /** Set when a credential was sent but refused; operations needing a viewer throw it. */
  authError: DomainError | null;
}

/**
 * Reads `Bearer <jwt>` from an HTTP Authorization header or a websocket's connectionParams.
 * No credential is anonymous; a refused one becomes `authError`, never a thrown error.
 */
export async function authenticate(credential: unknown, tokens: TokenService): Promise<Authentication> {
  if (credential === undefined || credential === null || credential === '') return { viewerId: null, authError: null };
  const match = typeof credential === 'string' ? /^Bearer\s+(\S+)$/i.exec(credential) : null;
  if (!match) return { viewerId: null, authError: unauthenticated('authorization must be "Bearer <token>"') };
  try {
    return { viewerId: await tokens.verify(match[1]!), authError: null };
  } catch (err) {
    return { viewerId: null, authError: err as DomainError };
  }
}
