import type { Server } from 'node:http';
import { specifiedRules, validate, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveFeed } from '../domain/live/ports.js';
import type { Config } from '../config/index.js';
import type { TokenService } from '../domain/tokens.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { authenticate } from './authenticate.js';
import type { RequestContext, Services } from './context.js';
import { createLoaders } from './loaders.js';

/** Close code for a client that cannot keep up (graphql-ws reserves 4400-4499 for such faults). */
export const CLOSE_SLOW_CLIENT = 4430;

export type LiveServerOptions = Config['live'];

interface Extra extends Record<PropertyKey, unknown> {
  viewerId: string;
}

/**
 * graphql-ws on the API's HTTP server (frame size, init timeout, keep-alive and slow-client
 * limits from configuration: WS_* in the README), same path (/graphql). A connection must authenticate in
 * connectionParams ({ authorization: "Bearer …" }) or is closed with 4403. Operations pass the
 * same depth/cost/alias rules as HTTP, since Apollo's validation rules do not run here.
 */
export function startLiveServer(
  deps: {
    httpServer: Server;
    schema: GraphQLSchema;
    validationRules: readonly ValidationRule[];
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
  const rules = [...specifiedRules, ...deps.validationRules];

  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      schema: deps.schema,
      isProd: deps.production,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs,
      validate: (schema, document) => validate(schema, document, rules),
      onConnect: async (ctx) => {
        const auth = await authenticate(ctx.connectionParams?.authorization, deps.tokens);
        if (!auth.viewerId) return false;
        ctx.extra.viewerId = auth.viewerId;
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
