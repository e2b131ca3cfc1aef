import { blocked } from '../errors.js';
import type { BlockState } from './ports.js';

/**
 * BLOCKED when a block stands between a user and `name` (the other side, as the user knows them),
 * for `action` done to them ("follow", "reply to", "mention", "repost"); nothing otherwise. Being
 * blocked is said first: unblocking would not help then.
 */
export function refuseAcrossBlock(state: BlockState | undefined, name: string, action: string, field: string): void {
  if (state?.blockedBy) throw blocked(`${name} has blocked you: you cannot ${action} them`, field);
  if (state?.blocked) throw blocked(`you blocked ${name}: unblock them first`, field);
}
