import { unauthenticated } from '../domain/errors.js';
import type { RequestContext } from '../graphql/context.js';

/** The signed-in user's id, or UNAUTHENTICATED. */
export function requireViewer(ctx: RequestContext): string {
  if (ctx.authError) throw ctx.authError;
  if (!ctx.viewerId) throw unauthenticated();
  return ctx.viewerId;
}
