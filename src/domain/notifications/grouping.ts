import { badInput } from '../errors.js';
import { isSnowflake } from '../snowflake.js';

/**
 * Notifications are grouped the way Mastodon groups them ("alice and 3 others liked your tweet"):
 * one group per (kind, tweet), or for follows, per UTC day. A group's key names both, so the key
 * alone says what the group is about; its position in the recipient's list is the time of its
 * latest activity, so a new like on an old tweet brings the group back to the top, unread.
 */
export const NOTIFICATION_KINDS = ['FOLLOW', 'LIKE', 'REPOST', 'REPLY', 'MENTION'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a group is about: its kind, and the tweet (null for FOLLOW, whose groups are per day). */
export interface GroupSubject {
  kind: NotificationKind;
  /** The liked or reposted tweet; the reply; the tweet that mentions. Null for FOLLOW. */
  tweetId: string | null;
}

/**
 * The group an activity joins. FOLLOW: one group per UTC day of `at`; LIKE and REPOST: one per
 * tweet liked or reposted (many actors); REPLY and MENTION: one per reply or mentioning tweet
 * (one actor: the author).
 */
export function groupKey(kind: NotificationKind, tweetId: string | null, at: number): string {
  if (kind === 'FOLLOW') return `follow:${Math.floor(at / DAY_MS)}`;
  if (tweetId === null) throw new Error(`a ${kind} notification needs a tweet`);
  return `${kind.toLowerCase()}:${tweetId}`;
}

const KEY = /^(follow|like|repost|reply|mention):([1-9][0-9]{0,18})$/;

/** The subject of a key groupKey made; null for anything else (a corrupt member is skipped, not fatal). */
export function parseGroupKey(key: string): GroupSubject | null {
  const match = KEY.exec(key);
  if (!match) return null;
  const kind = match[1]!.toUpperCase() as NotificationKind;
  if (kind === 'FOLLOW') return { kind, tweetId: null };
  return isSnowflake(match[2]!) ? { kind, tweetId: match[2]! } : null;
}

/** A position in one user's notifications: the group's latest activity (ms) and its key. */
export interface NotificationPosition {
  /** Whose notifications the position is in. */
  ownerId: string;
  score: number;
  group: string;
}

/**
 * Opaque to clients: base64url of `owner:score:group`. The owner is part of it so that a cursor
 * taken from one user's notifications is refused, not silently applied, in another's.
 */
export function encodeNotificationCursor(p: NotificationPosition): string {
  return Buffer.from(`${p.ownerId}:${p.score}:${p.group}`, 'utf8').toString('base64url');
}

/**
 * The position in `viewerId`'s notifications a cursor names. BAD_USER_INPUT on `field` for anything
 * encodeNotificationCursor could not have produced, and for a cursor of another user's notifications.
 */
export function decodeNotificationCursor(cursor: string, viewerId: string, field = 'after'): NotificationPosition {
  const invalid = () => badInput(field, `${field} is not a valid notifications cursor`);
  if (cursor.length === 0 || cursor.length > 128 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([1-9][0-9]{0,18}):(\d{1,16}):(.+)$/.exec(raw);
  if (!match || !isSnowflake(match[1]!) || parseGroupKey(match[3]!) === null) throw invalid();
  const score = Number(match[2]);
  if (!Number.isSafeInteger(score)) throw invalid();
  if (match[1] !== viewerId) throw badInput(field, `${field} is a cursor of another user's notifications; use one from your own`);
  return { ownerId: match[1]!, score, group: match[3]! };
}
