import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxDepth: 10, maxCost: 5000, maxAliases: 15 };

/** The code of every refusal below, as graphql-js validation errors have it. */
const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';

/**
 * graphql-armor throws by default, which aborts validation with an internal error; reporting
 * instead makes a limit an ordinary validation error (GRAPHQL_VALIDATION_FAILED) over HTTP and ws.
 */
const report = {
  propagateOnRejection: false,
  exposeLimits: true,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: VALIDATION_FAILED } })),
  ],
};

/** Refuses `__schema` and `__type` (introspection off: production by default, GRAPHQL_INTROSPECTION). */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '__schema' && node.name.value !== '__type') return;
    context.reportError(
      new GraphQLError('GraphQL introspection is disabled on this server (GRAPHQL_INTROSPECTION)', {
        nodes: [node],
        extensions: { code: VALIDATION_FAILED },
      }),
    );
  },
});

/**
 * What every GraphQL operation passes before it runs, whatever the transport: the one definition
 * both the HTTP server (Apollo: `validationRules` plus the `operationPolicyPlugin` below) and the
 * websocket server (graphql-ws: `prepareOperation` in its onSubscribe) use, so neither can drift.
 *
 * - Validation rules: graphql-js's own, then introspection (refused when off), depth and aliases.
 *   They read the document alone, so Apollo caches their verdict per query text.
 * - Cost: it depends on the variables (`followers(first: $n)`), so it is checked per request once
 *   the variables are coerced, with argument defaults filled in (`followers` alone is 20).
 */
export interface OperationPolicy {
  readonly introspection: boolean;
  readonly limits: OperationLimits;
  /** The rules beyond graphql-js's specifiedRules (Apollo adds those itself). */
  readonly validationRules: readonly ValidationRule[];
  /** The cost error for this operation with these variables, or null when it is within the limit (or cannot run anyway). */
  checkCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: unknown): GraphQLError | null;
}

export function createOperationPolicy(options: { introspection: boolean; limits?: OperationLimits }): OperationPolicy {
  const limits = options.limits ?? DEFAULT_OPERATION_LIMITS;
  const validationRules = [
    ...(options.introspection ? [] : [noIntrospection]),
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
  ] as ValidationRule[];
  return {
    introspection: options.introspection,
    limits,
    validationRules,
    checkCost(schema, document, operationName, variables) {
      const cost = operationCost(schema, document, operationName, variables);
      if (cost === null || cost <= limits.maxCost) return null;
      return new GraphQLError(`Query Cost limit of ${limits.maxCost} exceeded, found ${cost}.`, {
        extensions: { code: VALIDATION_FAILED, cost, maxCost: limits.maxCost, http: { status: 400 } },
      });
    },
  };
}

/**
 * The Apollo side of the policy: the cost check once the operation and its variables are known
 * (didResolveOperation). A refusal is a 400 with GRAPHQL_VALIDATION_FAILED, like any validation error.
 */
export function operationPolicyPlugin(policy: OperationPolicy, schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          const error = policy.checkCost(schema, document, operationName, request.variables ?? {});
          if (error) throw error;
        },
      };
    },
  };
}

/**
 * The websocket side: what Apollo does before executing, done for one graphql-ws subscribe
 * message — parse, validate with the policy's rules, check the cost with the message's variables.
 * Returns the execution arguments (without a context: graphql-ws adds its own) or the errors to
 * answer with (an `error` message; the socket stays open).
 */
export function prepareOperation(
  policy: OperationPolicy,
  schema: GraphQLSchema,
  payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
): ExecutionArgs | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (err) {
    if (err instanceof GraphQLError) return [withCode(err, 'GRAPHQL_PARSE_FAILED')];
    throw err;
  }
  const errors = validate(schema, document, [...specifiedRules, ...policy.validationRules]);
  if (errors.length > 0) return errors.map((e) => withCode(e, VALIDATION_FAILED));
  const variables = payload.variables ?? {};
  const costError = policy.checkCost(schema, document, payload.operationName, variables);
  if (costError) return [withoutHttp(costError)];
  return { schema, document, operationName: payload.operationName, variableValues: variables };
}

/** The error with `extensions.code` set (as Apollo sets it for HTTP responses), if it has none. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

/** A websocket has no HTTP status: the hint for Apollo is left out. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, extensions });
}

/**
 * The cost of running an operation: roughly, how many fields it resolves. Each field costs 1; a
 * field with a `first` argument multiplies what it selects by `first`, whether `first` is a
 * literal, a variable or the argument's default (`followers` and `followers(first: null)` are
 * `followers(first: 20)`), since a
 * connection returns up to that many edges. Fragments count where they are spread; on an abstract
 * type every possible fragment counts; `@skip(if: true)`/`@include(if: false)` fields do not;
 * introspection fields cost nothing (the introspection policy decides about them).
 *
 * Null when there is nothing to price: no such operation, or variables that do not coerce (the
 * operation is refused for that before it runs).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, rawVariables: unknown): number | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const inputs = rawVariables !== null && typeof rawVariables === 'object' ? (rawVariables as Record<string, unknown>) : {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 1 });
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Fragments are priced once each (their cost depends on the variables alone); cycles, which
  // validation refuses anyway, price at zero rather than recursing.
  const fragmentCosts = new Map<string, number>();
  const pricing = new Set<string>();

  const included = (node: SelectionNode) => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  };

  const fieldCost = (parent: GraphQLCompositeType, node: FieldNode): number => {
    if (node.name.value.startsWith('__')) return 0;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const field = parent.getFields()[node.name.value];
    if (!field) return 0;
    const type = getNamedType(field.type);
    if (!node.selectionSet || !isCompositeType(type)) return 1;
    let multiplier = 1;
    const firstArg = field.args.find((a) => a.name === 'first');
    if (firstArg) {
      // An explicit null means the default to the resolvers (validateFirst), so it costs the default.
      const first = getArgumentValues(field, node, variables).first ?? firstArg.defaultValue;
      if (typeof first === 'number' && Number.isFinite(first)) multiplier = Math.max(1, Math.floor(first));
    }
    return 1 + multiplier * selectionCost(type, node.selectionSet);
  };

  const selectionCost = (parent: GraphQLCompositeType, set: SelectionSetNode): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (!included(selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD:
          cost += fieldCost(parent, selection);
          break;
        case Kind.INLINE_FRAGMENT: {
          const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          if (on && isCompositeType(on)) cost += selectionCost(on, selection.selectionSet);
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          cost += fragmentCost(selection.name.value);
          break;
      }
    }
    return cost;
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || pricing.has(name)) return 0;
    const on = schema.getType(fragment.typeCondition.name.value);
    if (!on || !isCompositeType(on)) return 0;
    pricing.add(name);
    const cost = selectionCost(on, fragment.selectionSet);
    pricing.delete(name);
    fragmentCosts.set(name, cost);
    return cost;
  };

  return selectionCost(root, operation.selectionSet);
}
