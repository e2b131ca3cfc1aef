import { badInput } from '../errors.js';

/**
 * A position in a stored ranking (a forYou snapshot): which snapshot, and how many entries come
 * before the next page. Opaque to clients: base64url of `snapshotId:offset`. A ranking changes as
 * time passes and tweets arrive, so later pages read the snapshot the first page stored rather
 * than ranking again; that keeps pages from repeating or skipping tweets.
 */
export interface RankedPosition {
  snapshotId: string;
  offset: number;
}

/** 16 random bytes in base64url, as the snapshot store makes them. */
const SNAPSHOT_ID = /^[A-Za-z0-9_-]{22}$/;
/** Far above any snapshot size the configuration allows. */
const MAX_OFFSET = 1_000_000;

export function isSnapshotId(id: string): boolean {
  return SNAPSHOT_ID.test(id);
}

export function encodeRankedCursor(p: RankedPosition): string {
  return Buffer.from(`${p.snapshotId}:${p.offset}`, 'utf8').toString('base64url');
}

/** Throws BAD_USER_INPUT on anything encodeRankedCursor could not have produced. */
export function decodeRankedCursor(cursor: string, field = 'after'): RankedPosition {
  const invalid = () => badInput(field, `${field} is not a valid cursor`);
  if (cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const match = /^([A-Za-z0-9_-]{22}):(0|[1-9][0-9]{0,6})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalid();
  const offset = Number(match[2]);
  if (offset > MAX_OFFSET) throw invalid();
  return { snapshotId: match[1]!, offset };
}
