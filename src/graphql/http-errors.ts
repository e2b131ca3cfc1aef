import type { ErrorRequestHandler } from 'express';

/**
 * Errors raised before GraphQL runs (body parsing) answered as GraphQL-shaped JSON with a code,
 * never Express's HTML page with a stack trace: 413 for a body over the limit, 400 for malformed JSON.
 */
export const requestErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  const e = err as { status?: number; type?: string; message?: string };
  if (res.headersSent) return next(err);
  if (e.type === 'entity.too.large' || e.status === 413) {
    res.status(413).json({ errors: [{ message: 'request body too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    return;
  }
  if (e.type === 'entity.parse.failed') {
    res.status(400).json({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ errors: [{ message: e.message ?? 'bad request', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next(err);
};
