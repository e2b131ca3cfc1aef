import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';
import type { RequestContext } from './context.js';

/**
 * How GraphQL errors reach clients and the log, one definition for HTTP (Apollo's `formatError` and
 * the plugin below) and websockets (ws-server.ts's `onNext`/`onError`):
 *
 * - Expected outcomes (DomainError) reach clients with their message and `extensions.code`
 *   (and `field`, `retryAfterSeconds`, …).
 * - Errors in the request itself (parse, validation, variable coercion) pass through with their
 *   code: GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, … .
 * - Anything else is unexpected (a bug, an outage, corrupt state): code INTERNAL_SERVER_ERROR, and
 *   in production the message "Internal server error" and no stack. The client gets the request id
 *   (`extensions.requestId`); the server logs the error once, at error level, with its stack, the
 *   operation name, the request id, the transport and the viewer.
 */
export interface ErrorPolicy {
  /** One error as the client sees it. `requestId` is added to unexpected ones. */
  format(formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError;
  /** Logs each unexpected error among `errors`. */
  report(errors: readonly unknown[], facts: OperationFacts): void;
  /**
   * Websocket errors, reported and formatted as over HTTP. `requestErrorCode` is the code of errors
   * that have neither a code nor an original error when they are the request's own (validation:
   * GRAPHQL_VALIDATION_FAILED; variables: BAD_USER_INPUT); null when such errors are unexpected.
   */
  formatErrors(errors: readonly GraphQLError[], facts: OperationFacts, requestErrorCode: string | null): GraphQLFormattedError[];
  /** A websocket result: its errors as `formatErrors` makes them. */
  formatResult(result: ExecutionResult, facts: OperationFacts): FormattedExecutionResult;
}

export interface OperationFacts {
  requestId: string;
  /** The operation's own name from the document (client-chosen: shortened for the log). */
  operationName: string | null;
  transport: 'http' | 'websocket';
  viewerId: string | null;
}

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** A request id a client or proxy sent (`x-request-id`) that is safe to log and echo; otherwise a fresh one. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{8,128}$/.test(header) ? header : randomUUID();
}

/**
 * Whether an error is unexpected. DomainErrors are not; neither are errors carrying a code other than
 * INTERNAL_SERVER_ERROR (Apollo's request errors). A GraphQLError with neither a code nor an original
 * error is a request error when `requestErrors` says the whole result is one (no `data`: the
 * variables did not coerce), and unexpected otherwise (e.g. a non-null field resolved to null).
 */
export function isUnexpected(error: unknown, requestErrors = false): boolean {
  if (unwrapResolverError(error) instanceof DomainError) return false;
  const code = (error as GraphQLError | undefined)?.extensions?.code;
  if (code !== undefined) return code === INTERNAL;
  const original = (error as GraphQLError | undefined)?.originalError;
  return original !== undefined && original !== null ? true : !requestErrors;
}

export function createErrorPolicy(options: { logger: Logger; production: boolean }): ErrorPolicy {
  const internal = (formatted: GraphQLFormattedError, requestId?: string): GraphQLFormattedError => {
    const extensions = { ...(requestId ? { requestId } : {}), code: INTERNAL };
    if (!options.production) return { ...formatted, extensions: { ...formatted.extensions, ...extensions } };
    return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), extensions };
  };

  const policy: ErrorPolicy = {
    format(formatted, error, requestId) {
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
      if (code && code !== INTERNAL) return formatted;
      return internal(formatted, requestId);
    },

    report(errors, facts) {
      for (const error of errors) {
        if (!isUnexpected(error)) continue;
        const original = unwrapResolverError(error);
        options.logger.error(
          {
            err: original,
            requestId: facts.requestId,
            operation: facts.operationName?.slice(0, 100) ?? null,
            transport: facts.transport,
            viewerId: facts.viewerId,
            path: (error as GraphQLError).path,
          },
          'unexpected error in GraphQL operation',
        );
      }
    },

    formatErrors(errors, facts, requestErrorCode) {
      const requestErrors = requestErrorCode !== null;
      policy.report(
        errors.filter((e) => isUnexpected(e, requestErrors)),
        facts,
      );
      return errors.map((e) => {
        const formatted = e.toJSON();
        if (isUnexpected(e, requestErrors)) return internal(formatted, facts.requestId);
        if (unwrapResolverError(e) instanceof DomainError || formatted.extensions?.code) return policy.format(formatted, e);
        return { ...formatted, extensions: { ...formatted.extensions, code: requestErrorCode! } };
      });
    },

    formatResult(result, facts) {
      if (!result.errors?.length) return result as FormattedExecutionResult;
      // Without `data` the operation never ran: the errors are the request's own (variable coercion).
      return { ...result, errors: policy.formatErrors(result.errors, facts, 'data' in result ? null : 'BAD_USER_INPUT') } as FormattedExecutionResult;
    },
  };
  return policy;
}

/**
 * The HTTP half: logs the unexpected errors of each operation (Apollo passes the unformatted ones to
 * didEncounterErrors, with the operation and our context) and puts the request id into the formatted
 * unexpected errors (`formatError` sees no context). The id is also the `x-request-id` response header.
 */
export function errorReportingPlugin(policy: ErrorPolicy): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operationName, contextValue }) {
          policy.report(errors, { requestId: contextValue.requestId, operationName: operationName ?? null, transport: 'http', viewerId: contextValue.viewerId });
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
            e.extensions?.code === INTERNAL ? { ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } } : e,
          );
        },
      };
    },
  };
}
