import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../observability/metrics.js';

/** Longest operation name kept as a label; longer ones count as `other`. */
export const MAX_OPERATION_NAME_LENGTH = 64;

/**
 * The `operation` label of an operation name, from a bounded set. The name is the client's
 * choice, and every distinct label value is a time series kept for the life of the process: so
 * the first `maxNames` distinct names (of operations that passed validation) keep their own label,
 * every later one and any name longer than MAX_OPERATION_NAME_LENGTH is `other`, and an operation
 * without a name (or that never got as far as having one) is `anonymous`.
 */
export function operationLabels(maxNames: number): (name: string | null | undefined) => string {
  const known = new Set<string>();
  return (name) => {
    if (!name) return 'anonymous';
    if (known.has(name)) return name;
    if (name.length > MAX_OPERATION_NAME_LENGTH || known.size >= maxNames) return 'other';
    known.add(name);
    return name;
  };
}

/** Counts and times each GraphQL operation by name (bounded: operationLabels), type and outcome (ok or the first error code). */
export function operationMetricsPlugin(metrics: Metrics['graphql'], options: { maxOperationNames: number }): ApolloServerPlugin {
  const label = operationLabels(options.maxOperationNames);
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, errors }) {
          const labels = { operation: label(operationName), type: operation?.operation ?? 'unknown' };
          const first = errors?.[0]?.extensions?.code;
          metrics.operations.inc({ ...labels, outcome: errors?.length ? String(first ?? 'INTERNAL_SERVER_ERROR') : 'ok' });
          metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
