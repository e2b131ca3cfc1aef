import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../observability/metrics.js';

/** Counts and times each GraphQL operation by name, type and outcome (ok or the first error code). */
export function operationMetricsPlugin(metrics: Metrics['graphql']): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, errors }) {
          const labels = { operation: operationName ?? 'anonymous', type: operation?.operation ?? 'unknown' };
          const first = errors?.[0]?.extensions?.code;
          metrics.operations.inc({ ...labels, outcome: errors?.length ? String(first ?? 'INTERNAL_SERVER_ERROR') : 'ok' });
          metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
