import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxDepth: 10, maxCost: 5000, maxAliases: 15 };

/**
 * graphql-armor throws by default, which aborts validation with an internal error; reporting
 * instead makes a limit an ordinary validation error (GRAPHQL_VALIDATION_FAILED) over HTTP and ws.
 */
const report = {
  propagateOnRejection: false,
  exposeLimits: true,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
  ],
};

/**
 * Depth, cost and alias limits as plain validation rules, so the same rules guard HTTP (Apollo's
 * validationRules) and websockets (graphql-ws's validate), where Apollo's rules never run.
 */
export function operationLimitRules(limits: OperationLimits = DEFAULT_OPERATION_LIMITS): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...report }),
    costLimitRule({ maxCost: limits.maxCost, ignoreIntrospection: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
  ] as ValidationRule[];
}
