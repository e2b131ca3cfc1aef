import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';

/**
 * Expected outcomes (DomainError) reach clients with their code and message. Errors Apollo or
 * graphql-js raised (parse, validation, variable coercion) pass through. Anything else is a bug
 * or an outage: logged in full, and in production replaced by a generic message.
 */
export function createErrorFormatter(options: { logger: Logger; production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...original.extensions, code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    options.logger.error({ err: original, path: formatted.path }, 'unexpected error in GraphQL operation');
    if (!options.production) return formatted;
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
