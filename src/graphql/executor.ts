import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, getVariableValues, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * Apollo Server's execution step, swapped for graphql-jit through Apollo's gateway interface (the
 * one seam Apollo offers for a custom executor). Everything before execution is Apollo's as it
 * was: parsing, the document cache, validation with our rules (depth, cost, aliases,
 * introspection), and after it error formatting (formatError) and the HTTP status. Only
 * `execute` changes: each operation is compiled once into JavaScript that calls the same
 * resolvers, and later requests with the same document (Apollo caches parsed documents, so the
 * object is reused) run the compiled code. Variables are coerced by graphql-js first, so a bad
 * variable gets exactly the error graphql-js gives (and Apollo's BAD_USER_INPUT and 400).
 * Subscriptions do not pass here: graphql-ws executes them with graphql-js.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  // Per document object, per operation name: Apollo's document store hands out one object per query text.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery>>();
  const executor: GatewayExecutor = async (request) => {
    const name = request.operationName ?? '';
    let operations = compiled.get(request.document);
    if (!operations) compiled.set(request.document, (operations = new Map()));
    let query = operations.get(name);
    if (!query) {
      const result = compileQuery(schema, request.document, request.operationName ?? undefined);
      if (!isCompiledQuery(result)) return result;
      operations.set(name, (query = result));
    }
    const variables = getVariableValues(schema, request.operation.variableDefinitions ?? [], request.request.variables ?? {});
    if (variables.errors) return { errors: variables.errors };
    return asGraphQLErrors(await query.query(undefined, request.context, variables.coerced));
  };
  const listeners = new Set<Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0]>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    // The schema never changes: it is announced once, as Apollo expects before load resolves.
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { executor };
    },
    stop: async () => undefined,
  };
}

/**
 * graphql-jit reports errors with its own error type (a GraphQLError by prototype, but without
 * `extensions` or `nodes`), which Apollo's error normalisation does not expect: each becomes the
 * graphql-js GraphQLError that graphql-js's execute would have made, with the same message,
 * locations, path and original error (so formatError still finds a resolver's DomainError).
 */
function asGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions ?? undefined });
    // Locations are derived from AST nodes, which graphql-jit does not keep: carried over as given.
    if (e.locations) Object.defineProperty(error, 'locations', { value: e.locations, enumerable: true, writable: true, configurable: true });
    return error;
  });
  return { ...result, errors };
}
