/**
 * Expected failures carry a code that reaches clients as `extensions.code`.
 * Anything that is not a DomainError is unexpected: logged in full, masked in production.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  /** A block stands between the viewer and the user they tried to follow, reply to, mention or repost. */
  | 'BLOCKED'
  /** A live subscription's `after` cursor is further behind than a catch-up reaches: re-query, then resubscribe. */
  | 'CURSOR_TOO_OLD';

export class DomainError extends Error {
  override name = 'DomainError';
  /**
   * What clients receive as `extensions`: `code`, `field` when there is one, and any extra facts
   * (e.g. `retryAfterSeconds`). graphql-js copies an original error's `extensions`, so the code
   * reaches clients on every transport, the websocket included, even without a formatter.
   */
  readonly extensions: Readonly<Record<string, string | number>>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Which input field was wrong, for BAD_USER_INPUT. */
    readonly field?: string,
    options?: { cause?: unknown; extensions?: Readonly<Record<string, string | number>> },
  ) {
    super(message, options);
    this.extensions = { ...options?.extensions, code, ...(field ? { field } : {}) };
  }
}

export const badInput = (field: string, message: string) => new DomainError('BAD_USER_INPUT', message, field);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message = 'sign in first: send Authorization: Bearer <token>') =>
  new DomainError('UNAUTHENTICATED', message);
export const unavailable = (message: string, cause?: unknown) =>
  new DomainError('SERVICE_UNAVAILABLE', message, undefined, { cause });
/** A block stands between the two users (either way); nothing was stored. */
export const blocked = (message: string, field?: string) => new DomainError('BLOCKED', message, field);
/** Too many requests of one kind from one user; `retryAfterSeconds` says when the next is allowed. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', message, undefined, { extensions: { retryAfterSeconds } });

/**
 * Failures say whether doing the same work again can succeed. The consumer router reads this and
 * nothing else: a permanent failure is dead-lettered at once, everything else is retried.
 */
export abstract class ClassifiedError extends Error {
  abstract readonly retriable: boolean;
}

/** Retrying cannot help (a payload the handler cannot process, an answer that breaks the contract). */
export class PermanentError extends ClassifiedError {
  override name = 'PermanentError';
  readonly retriable = false;
}

/**
 * Thrown by a consumer handler whose input is not ready yet (e.g. a clicked tweet the tagger has
 * not reached): the message must be tried again later, never dropped. An expected outcome, so it
 * is logged as one short line, not with a stack.
 */
export class RetryLaterError extends ClassifiedError {
  override name = 'RetryLaterError';
  readonly retriable = true;
}

/**
 * Whether trying again can help. Classified errors say so; domain errors by their code (bad input
 * stays bad; an unavailable dependency may come back); anything else is unexpected (an outage, a
 * bug that a redeploy fixes) and is retried until the retry policy gives up.
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof ClassifiedError) return err.retriable;
  if (err instanceof DomainError) return err.code === 'SERVICE_UNAVAILABLE' || err.code === 'RATE_LIMITED';
  return true;
}
