/**
 * Whether a signing secret is obviously guessable. Not an entropy estimate: it refuses what an
 * operator writes when they mean "later" (a placeholder, one key held down, a short pattern
 * repeated, a keyboard run), which `openssl rand -hex 32` never produces.
 */

export const JWT_SECRET_MIN_CHARS = 32;
/** Random hex of 32+ characters has about 16 distinct ones; fewer than this is a pattern, not a key. */
export const JWT_SECRET_MIN_DISTINCT = 10;

/** Words of placeholders and examples (compared without case, spaces or punctuation). */
const PLACEHOLDERS = [
  'changeme',
  'changethis',
  'replaceme',
  'replacethis',
  'yoursecret',
  'mysecret',
  'supersecret',
  'secretkey',
  'jwtsecret',
  'devonly',
  'devsecret',
  'testsecret',
  'placeholder',
  'example',
  'password',
  'notasecret',
  'insecure',
  'default',
  'qwerty',
  'letmein',
];

/** Why `value` is too weak to sign tokens, or null. Never quotes the value. */
export function weakSecretReason(value: string): string | null {
  const chars = [...value];
  if (chars.length < JWT_SECRET_MIN_CHARS) return `must be at least ${JWT_SECRET_MIN_CHARS} characters (got ${chars.length})`;
  const distinct = new Set(chars).size;
  if (distinct === 1) return 'is one character repeated';
  if (distinct < JWT_SECRET_MIN_DISTINCT) return `has only ${distinct} distinct characters (at least ${JWT_SECRET_MIN_DISTINCT})`;
  const period = shortestPeriod(chars);
  if (period <= chars.length / 2) return `is a pattern of ${period} characters repeated`;
  if (isRun(chars)) return 'is a run of consecutive characters';
  const folded = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const placeholder = PLACEHOLDERS.find((word) => folded.includes(word));
  if (placeholder) return `contains the placeholder word "${placeholder}"`;
  return null;
}

/** The length of the shortest unit the string is a repetition of (possibly cut short at the end). */
function shortestPeriod(chars: readonly string[]): number {
  for (let p = 1; p < chars.length; p++) {
    let periodic = true;
    for (let i = p; i < chars.length && periodic; i++) periodic = chars[i] === chars[i - p];
    if (periodic) return p;
  }
  return chars.length;
}

/** abcdef…, 0123…, zyx…: every step the same small distance, possibly wrapping at the end of a run. */
function isRun(chars: readonly string[]): boolean {
  const steps = chars.slice(1).map((c, i) => c.codePointAt(0)! - chars[i]!.codePointAt(0)!);
  const small = steps.filter((s) => Math.abs(s) === 1).length;
  return small >= steps.length * 0.8;
}

/** What to do instead, for messages. */
export const STRONG_SECRET_HINT = 'generate one with `openssl rand -hex 32`';
