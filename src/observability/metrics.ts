import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LagRow } from './lag.js';

/**
 * Every metric the process exports, on its own registry (so tests can build several apps in one
 * process). Names follow Prometheus conventions: `_total` counters, `_seconds` histograms.
 */
export function createMetrics(
  options: {
    measureLag?: () => Promise<LagRow[]>;
    /** The process's consumer groups and their subscription state, read at each scrape. */
    consumerStates?: () => readonly { group: string; state: string }[];
  } = {},
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const group = ['group'] as const;
  return {
    registry,
    // kafka_exporter's name and labels, so existing dashboards and alerts work unchanged.
    lag: new Gauge({
      name: 'kafka_consumergroup_lag',
      help: 'Messages a consumer group has not yet processed, per topic and partition',
      labelNames: ['consumergroup', 'topic', 'partition'] as const,
      registers: [registry],
      async collect() {
        if (!options.measureLag) return;
        this.reset();
        for (const row of await options.measureLag().catch(() => [])) {
          this.set({ consumergroup: row.group, topic: row.topic, partition: String(row.partition) }, row.lag);
        }
      },
    }),
    consumerUp: new Gauge({
      name: 'timeline_consumer_up',
      help: '1 while a consumer group of this process has its partitions, 0 while it starts, crashed or stopped',
      labelNames: group,
      registers: [registry],
      collect() {
        this.reset();
        for (const c of options.consumerStates?.() ?? []) this.set({ group: c.group }, c.state === 'running' ? 1 : 0);
      },
    }),
    consumersDown: new Gauge({
      name: 'timeline_consumer_groups_down',
      help: 'Consumer groups of this process that crashed or stopped (readiness fails while above 0)',
      registers: [registry],
      collect() {
        this.set((options.consumerStates?.() ?? []).filter((c) => c.state === 'crashed' || c.state === 'stopped').length);
      },
    }),
    consumers: {
      processed: new Counter({ name: 'timeline_consumer_messages_processed_total', help: 'Messages handled successfully', labelNames: group, registers: [registry] }),
      failed: new Counter({ name: 'timeline_consumer_messages_failed_total', help: 'Handler failures (each attempt)', labelNames: group, registers: [registry] }),
      retried: new Counter({ name: 'timeline_consumer_messages_retried_total', help: 'Messages sent to the group retry topic', labelNames: group, registers: [registry] }),
      deadLettered: new Counter({ name: 'timeline_consumer_messages_dead_lettered_total', help: 'Messages sent to the group dead-letter topic', labelNames: group, registers: [registry] }),
      latencySeconds: new Histogram({
        name: 'timeline_consumer_end_to_end_latency_seconds',
        help: "From the message's produced-at time to its handler finishing, per consumer group",
        labelNames: group,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers: [registry],
      }),
    },
    http: {
      requests: new Counter({
        name: 'http_requests_total',
        help: 'HTTP requests by method, route and status',
        labelNames: ['method', 'route', 'status'] as const,
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by method and route',
        labelNames: ['method', 'route'] as const,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
    },
    graphql: {
      operations: new Counter({
        name: 'graphql_operations_total',
        help: 'GraphQL operations by name, type and outcome (ok or the first error code)',
        labelNames: ['operation', 'type', 'outcome'] as const,
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'graphql_operation_duration_seconds',
        help: 'GraphQL operation duration by name and type',
        labelNames: ['operation', 'type'] as const,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
    },
    live: {
      connectedClients: new Gauge({ name: 'timeline_ws_connected_clients', help: 'Open websocket connections', registers: [registry] }),
      activeSubscriptions: new Gauge({ name: 'timeline_ws_active_subscriptions', help: 'Running GraphQL subscriptions', registers: [registry] }),
      messagesPushed: new Counter({ name: 'timeline_ws_messages_pushed_total', help: 'Subscription events sent to clients', registers: [registry] }),
      droppedClients: new Counter({
        name: 'timeline_ws_dropped_clients_total',
        help: 'Connections closed because the client could not keep up',
        registers: [registry],
      }),
      catchUpEntries: new Counter({
        name: 'timeline_ws_catch_up_entries_total',
        help: 'Entries home-timeline subscriptions sent from reading the timeline: catch-ups after a cursor, and resyncs',
        registers: [registry],
      }),
      repeatsSkipped: new Counter({
        name: 'timeline_ws_repeats_skipped_total',
        help: 'Pushes a home-timeline subscription did not send because it had sent that entry already (catch-up overlap, redelivery)',
        registers: [registry],
      }),
      entriesLeftOut: new Counter({
        name: 'timeline_ws_entries_left_out_total',
        help: 'Catch-up entries left out because their tweet could not be read in time (not stored yet, or deleted)',
        registers: [registry],
      }),
      postToPushSeconds: new Histogram({
        name: 'timeline_post_to_push_seconds',
        help: 'From postTweet producing the tweet to a subscriber being sent it',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
    },
    auth: {
      passwordHashWaiting: new Gauge({
        name: 'timeline_password_hash_waiting',
        help: 'Sign-ups (low) and logins (high) waiting for a password hash slot (PASSWORD_HASH_CONCURRENCY)',
        labelNames: ['priority'] as const,
        registers: [registry],
      }),
    },
    integrity: {
      skipped: new Counter({
        name: 'timeline_records_skipped_total',
        help: 'Stored records left out of a read: corrupt (does not parse, lacks a field), missing_author, missing_user (names a record that is not stored)',
        labelNames: ['record', 'reason'] as const,
        registers: [registry],
      }),
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
