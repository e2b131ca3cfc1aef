import { unauthenticated, unavailable, type DomainError } from '../domain/errors.js';
import type { TokenService } from '../domain/tokens.js';
import type { User } from '../domain/types.js';
import type { ViewerCheck } from './viewers.js';

export interface Authentication {
  viewerId: string | null;
  /** The stored user behind `viewerId`, when there is one. */
  viewer?: User;
  /** Unix ms the token expires at, when there is one (websockets close then). */
  expiresAt?: number;
  /** Set when a credential was sent but refused; operations needing a viewer throw it. */
  authError: DomainError | null;
}

/**
 * Reads `Bearer <jwt>` from an HTTP Authorization header or a websocket's connectionParams.
 * No credential is anonymous; a refused one becomes `authError`, never a thrown error. A valid
 * token whose subject is not a stored user is refused too (viewers.ts says how that stays cheap).
 */
export async function authenticate(credential: unknown, tokens: TokenService, viewers: ViewerCheck): Promise<Authentication> {
  if (credential === undefined || credential === null || credential === '') return { viewerId: null, authError: null };
  const match = typeof credential === 'string' ? /^Bearer\s+(\S+)$/i.exec(credential) : null;
  if (!match) return { viewerId: null, authError: unauthenticated('authorization must be "Bearer <token>"') };
  let verified;
  try {
    verified = await tokens.verify(match[1]!);
  } catch (err) {
    return { viewerId: null, authError: err as DomainError };
  }
  let viewer;
  try {
    viewer = await viewers.find(verified.userId);
  } catch (err) {
    // Anonymous operations still run; those that need the viewer say why they cannot.
    return { viewerId: null, authError: unavailable('cannot check the token right now: try again', err) };
  }
  if (!viewer) return { viewerId: null, authError: unauthenticated('token names no stored user: sign up or log in again') };
  return { viewerId: viewer.id, viewer, expiresAt: verified.expiresAt, authError: null };
}
