import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { Metrics } from '../../src/observability/metrics.js';
import { eventually } from './poll.js';

export interface LiveClient {
  client: Client;
  /** Every result received on the subscription, in order. */
  results: FormattedExecutionResult<Record<string, unknown>, unknown>[];
  /** performance.now() at which each result arrived, parallel to `results`. */
  receivedAt: number[];
  /** Resolves with the close event's code once the socket closes. */
  closed: Promise<number>;
  dispose(): Promise<void>;
}

/**
 * Opens a graphql-ws connection to `httpUrl` (its ws:// twin) and starts one subscription.
 * `onNext` sees each result as it arrives, after it was added to `results` (a test can drop the
 * socket at an exact point with `client.terminate()`).
 */
export function subscribe(
  httpUrl: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown>; onNext?: (results: LiveClient['results']) => void } = {},
): LiveClient {
  const results: LiveClient['results'] = [];
  const receivedAt: number[] = [];
  let onClosed: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    on: { closed: (event) => onClosed((event as { code: number }).code) },
    onNonLazyError: () => {},
  });
  client.subscribe<Record<string, unknown>>(
    { query, variables: options.variables ?? {} },
    {
      next: (r) => {
        receivedAt.push(performance.now());
        results.push(r);
        options.onNext?.(results);
      },
      error: () => {},
      complete: () => {},
    },
  );
  return { client, results, receivedAt, closed, dispose: () => client.dispose() as Promise<void> };
}

/** Waits (deadline poll) until the app reports at least `n` running subscriptions. */
export async function subscriptionsActive(app: { metrics: Metrics }, n = 1): Promise<void> {
  await eventually(
    async () => (await app.metrics.live.activeSubscriptions.get()).values[0]?.value ?? 0,
    (active) => active >= n,
    { what: `${n} active subscription(s)` },
  );
}

export interface WsOutcome {
  /** The `next` payloads received, in order. */
  results: FormattedExecutionResult<Record<string, unknown>, unknown>[];
  /** The payload of an `error` message (the operation was refused before it ran), if one came. */
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * Runs one operation over a fresh graphql-ws connection and waits for it to end: `complete`, or an
 * `error` message (validation, cost, limits), whose errors the outcome carries. Closes the socket.
 */
export async function wsOperation(httpUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<WsOutcome> {
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const results: WsOutcome['results'] = [];
  try {
    return await new Promise<WsOutcome>((resolve, reject) => {
      client.subscribe<Record<string, unknown>>(
        { query, variables },
        {
          next: (r) => results.push(r),
          error: (err) => (Array.isArray(err) ? resolve({ results, errors: err as WsOutcome['errors'] }) : reject(err instanceof Error ? err : new Error(JSON.stringify(err)))),
          complete: () => resolve({ results }),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
