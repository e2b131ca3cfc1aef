/**
 * Expected failures carry a code that reaches clients as `extensions.code`.
 * Anything that is not a DomainError is unexpected: logged in full, masked in production.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'SERVICE_UNAVAILABLE';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Which input field was wrong, for BAD_USER_INPUT. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const badInput = (field: string, message: string) => new DomainError('BAD_USER_INPUT', message, field);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message = 'sign in first: send Authorization: Bearer <token>') =>
  new DomainError('UNAUTHENTICATED', message);
export const unavailable = (message: string, cause?: unknown) =>
  new DomainError('SERVICE_UNAVAILABLE', message, undefined, { cause });
