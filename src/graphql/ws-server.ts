import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveFeed } from '../domain/live/ports.js';
import type { Config } from '../config/index.js';
import type { TokenService } from '../domain/tokens.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { authenticate } from './authenticate.js';
import type { RequestContext, Services } from './context.js';
import { prepareOperation, type OperationPolicy } from './limits.js';
import { CLOSE_TOO_MANY_SOCKETS, SocketsPerUser, SubscriptionSlots } from './ws-limits.js';
import { createLoaders } from './loaders.js';
import { createLiveVerdicts } from '../services/live-verdicts.js';

/** Close code for a client that cannot keep up (graphql-ws reserves 4400-4499 for such faults). */
export const CLOSE_SLOW_CLIENT = 4430;
export { CLOSE_TOO_MANY_SOCKETS } from './ws-limits.js';

export type LiveServerOptions = Config['live'];

interface Extra extends Record<PropertyKey, unknown> {
  viewerId: string;
  /** This socket's running subscriptions (WS_MAX_SUBSCRIPTIONS_PER_SOCKET); set on connect. */
  slots?: SubscriptionSlots;
}

/**
 * graphql-ws on the API's HTTP server (frame size, init timeout, keep-alive and slow-client
 * limits from configuration: WS_* in the README), same path (/graphql). A connection must authenticate in
 * connectionParams ({ authorization: "Bearer …" }) or is closed with 4403. Operations pass the
 * HTTP server's operation policy (introspection, depth, aliases, cost with variables), since
 * Apollo's pipeline does not run here.
 */
export function startLiveServer(
  deps: {
    httpServer: Server;
    schema: GraphQLSchema;
    /** The HTTP server's: the same introspection policy, validation rules and cost limit. */
    policy: OperationPolicy;
    tokens: TokenService;
    feed: LiveFeed;
    services: Services;
    repositories: Parameters<typeof createLoaders>[0];
    metrics: Metrics['live'];
    logger: Logger;
    production: boolean;
  },
  options: LiveServerOptions,
): { stop(): Promise<void> } {
  const wss = new WebSocketServer({ server: deps.httpServer, path: '/graphql', maxPayload: options.maxPayloadBytes });
  wss.on('connection', (socket: WebSocket) => {
    deps.metrics.connectedClients.inc();
    socket.once('close', () => deps.metrics.connectedClients.dec());
  });

  const sockets = new SocketsPerUser(options.maxSocketsPerUser);
  // One for the process: the delivery checks of every subscriber's pushes batch together.
  const verdicts = createLiveVerdicts(deps.repositories.tweets);

  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      schema: deps.schema,
      isProd: deps.production,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs,
      // Parsed, validated and priced here exactly as Apollo does for HTTP (limits.ts), then counted.
      onSubscribe: (ctx, id, payload) => {
        const prepared = prepareOperation(deps.policy, deps.schema, payload);
        if (Array.isArray(prepared)) return prepared;
        const args = prepared as Exclude<typeof prepared, readonly unknown[]>;
        return ctx.extra.slots?.admit(id, args, ctx.subscriptions) ?? args;
      },
      onConnect: async (ctx) => {
        const auth = await authenticate(ctx.connectionParams?.authorization, deps.tokens);
        if (!auth.viewerId) return false;
        const socket = ctx.extra.socket;
        if (socket.readyState !== socket.OPEN) return false;
        const release = sockets.take(auth.viewerId);
        if (!release) {
          deps.logger.info({ viewerId: auth.viewerId, limit: options.maxSocketsPerUser }, 'refusing a websocket over the per-user limit');
          socket.close(CLOSE_TOO_MANY_SOCKETS, 'Too many connections for this user');
          return false;
        }
        socket.once('close', release);
        ctx.extra.viewerId = auth.viewerId;
        ctx.extra.slots = new SubscriptionSlots(options.maxSubscriptionsPerSocket);
        return true;
      },
      context: (ctx): RequestContext => {
        const socket = ctx.extra.socket;
        return {
          viewerId: ctx.extra.viewerId ?? null,
          authError: null,
          services: deps.services,
          loaders: createLoaders(deps.repositories, ctx.extra.viewerId ?? null),
          live: {
            feed: deps.feed,
            verdicts,
            metrics: deps.metrics,
            logger: deps.logger,
            queueCapacity: options.queueCapacity,
            isBackedUp: () => socket.bufferedAmount > options.maxBufferedBytes,
            dropSlowClient: () => {
              if (socket.readyState !== socket.OPEN) return;
              deps.metrics.droppedClients.inc();
              deps.logger.warn({ viewerId: ctx.extra.viewerId }, 'dropping slow websocket client');
              socket.close(CLOSE_SLOW_CLIENT, 'Slow client: too many unsent messages');
            },
          },
        };
      },
    },
    wss,
    options.keepAliveMs,
  );

  return {
    async stop() {
      // Closes every client with 1001 (going away) and the websocket server.
      await disposable.dispose();
    },
  };
}
