import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the process exports, on its own registry (so tests can build several apps in one
 * process). Names follow Prometheus conventions: `_total` counters, `_seconds` histograms.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    live: {
      connectedClients: new Gauge({ name: 'timeline_ws_connected_clients', help: 'Open websocket connections', registers: [registry] }),
      activeSubscriptions: new Gauge({ name: 'timeline_ws_active_subscriptions', help: 'Running GraphQL subscriptions', registers: [registry] }),
      messagesPushed: new Counter({ name: 'timeline_ws_messages_pushed_total', help: 'Subscription events sent to clients', registers: [registry] }),
      droppedClients: new Counter({
        name: 'timeline_ws_dropped_clients_total',
        help: 'Connections closed because the client could not keep up',
        registers: [registry],
      }),
      postToPushSeconds: new Histogram({
        name: 'timeline_post_to_push_seconds',
        help: 'From postTweet producing the tweet to a subscriber being sent it',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
