import type { Reason } from './types.js';

/**
 * The sentence a client shows for a reason. `authorHandle` is needed for the follow reason only;
 * without it that reason reads generically.
 */
export function describeReason(reason: Reason, authorHandle: string | null): string {
  switch (reason.kind) {
    case 'taste':
      return `you like ${reason.tag}`;
    case 'follow':
      return authorHandle ? `from @${authorHandle}, whom you follow` : 'from someone you follow';
    case 'popular':
      return 'popular right now';
    case 'recent':
      return 'new on the timeline';
  }
}
