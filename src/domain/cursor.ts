import { badInput } from './errors.js';

/**
 * A position in a collection ordered by (score desc, member desc). Opaque to clients:
 * base64url of `score:member`. Encoding the position, not an offset, keeps paging stable
 * while new entries arrive at the head.
 */
export interface Position {
  score: number;
  member: string;
}

/**
 * Orders positions as timelines do (Redis's sorted-set order): by score, then by member in byte
 * order. Negative when `a` is older than `b`, positive when newer, 0 for the same position.
 */
export function comparePositions(a: Position, b: Position): number {
  if (a.score !== b.score) return a.score - b.score;
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.score}:${p.member}`, 'utf8').toString('base64url');
}

/** Throws BAD_USER_INPUT on anything encodeCursor could not have produced. */
export function decodeCursor(cursor: string, field = 'after'): Position {
  const invalid = () => badInput(field, `${field} is not a valid cursor`);
  if (cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):([1-9][0-9]{0,18})$/.exec(raw);
  if (!match) throw invalid();
  const score = Number(match[1]);
  if (!Number.isSafeInteger(score)) throw invalid();
  return { score, member: match[2]! };
}
