import { badInput } from './errors.js';
import { isSnowflake } from './snowflake.js';
import { cleanFreeText } from './text.js';

export const TWEET_MAX_CHARS = 280;
export const PASSWORD_MIN_CHARS = 8;
/** Bounds the work scrypt does on hostile input. */
export const PASSWORD_MAX_CHARS = 1024;
const HANDLE = /^[A-Za-z0-9_]{3,15}$/;

/** Returns the handle unchanged; throws BAD_USER_INPUT unless it is 3–15 of [A-Za-z0-9_]. */
export function validateHandle(handle: string, field = 'handle'): string {
  if (!HANDLE.test(handle)) {
    throw badInput(field, 'handle must be 3 to 15 characters of letters, digits and underscore');
  }
  return handle;
}

export function validatePassword(password: string): string {
  if ([...password].length < PASSWORD_MIN_CHARS) {
    throw badInput('password', `password must be at least ${PASSWORD_MIN_CHARS} characters`);
  }
  if (password.length > PASSWORD_MAX_CHARS) {
    throw badInput('password', `password must be at most ${PASSWORD_MAX_CHARS} characters`);
  }
  return password;
}

/**
 * The tweet text to store: refused when nothing of it would show or it has a lone surrogate,
 * stripped of ANSI escapes, control characters and bidi overrides, and at most 280 characters as
 * people count them (grapheme clusters: an emoji family is one). text.ts has the rules.
 */
export function validateTweetText(text: string): string {
  return cleanFreeText(text, { field: 'text', what: 'tweet text', maxChars: TWEET_MAX_CHARS });
}

export function validateId(id: string, field = 'id'): string {
  if (!isSnowflake(id)) throw badInput(field, `${field} is not a valid id`);
  return id;
}

/** `first` of a connection: 1..max. */
export function validateFirst(first: number | null | undefined, max: number, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput('first', `first must be between 1 and ${max}`);
  return n;
}
