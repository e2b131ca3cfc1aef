import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { getOperationAST, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
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
import { clientAddress } from './client-address.js';
import type { ErrorPolicy, OperationFacts } from './errors.js';

/** Close code for a client that cannot keep up (graphql-ws reserves 4400-4499 for such faults). */
export const CLOSE_SLOW_CLIENT = 4430;
export { CLOSE_TOO_MANY_SOCKETS } from './ws-limits.js';

export type LiveServerOptions = Config['live'];

interface Extra extends Record<PropertyKey, unknown> {
  viewerId: string;
  /** This socket's running subscriptions (WS_MAX_SUBSCRIPTIONS_PER_SOCKET); set on connect. */
  slots?: SubscriptionSlots;
  clientAddress: string;
  /** Request id of each running operation, by its message id (for errors raised after it started). */
  requestIds: Map<string, string>;
}

/** Close code for a socket whose token expired (graphql-ws's Forbidden): the client logs in again and reconnects. */
export const CLOSE_TOKEN_EXPIRED = 4403;

/** setTimeout's longest delay; later expiries re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Closes `socket` with 4403 when its token expires, unless it closed before. */
function closeWhenExpired(socket: WebSocket, expiresAt: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = expiresAt - Date.now();
    if (wait <= 0) {
      if (socket.readyState === socket.OPEN) socket.close(CLOSE_TOKEN_EXPIRED, 'Forbidden: token expired, log in again');
      return;
    }
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}

/** What an operation's error log lines say about it. */
function operationFacts(extra: Partial<Extra>, id: string, source: { operationName?: string | null; document?: DocumentNode; query?: string }): OperationFacts {
  let name = source.operationName ?? null;
  if (name === null) {
    try {
      const document = source.document ?? (source.query ? parse(source.query) : undefined);
      name = (document && getOperationAST(document, null)?.name?.value) ?? null;
    } catch {
      // Not a document: no name to tell.
    }
  }
  return { requestId: extra.requestIds?.get(id) ?? randomUUID(), operationName: name, transport: 'websocket', viewerId: extra.viewerId ?? null };
}

/**
 * graphql-ws on the API's HTTP server (frame size, init timeout, keep-alive and slow-client
 * limits from configuration: WS_* in the README), same path (/graphql). A connection must authenticate in
 * connectionParams ({ authorization: "Bearer …" }, a stored user's unexpired token) or is closed with
 * 4403, and is closed with 4403 when that token expires. Errors are formatted and logged by the
 * HTTP path's policy (errors.ts). Operations pass the HTTP server's operation policy
 * (introspection, depth, aliases, cost with variables), since Apollo's pipeline does not run here.
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
    /** The HTTP path's error policy: formatting and logging alike on both transports. */
    errors: ErrorPolicy;
    trustProxyHops: number;
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
        const auth = await authenticate(ctx.connectionParams?.authorization, deps.tokens, deps.services.viewers);
        if (!auth.viewerId || auth.expiresAt === undefined) return false;
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
        ctx.extra.clientAddress = clientAddress(ctx.extra.request.socket.remoteAddress, ctx.extra.request.headers['x-forwarded-for'], deps.trustProxyHops);
        ctx.extra.requestIds = new Map();
        closeWhenExpired(socket, auth.expiresAt);
        return true;
      },
      onNext: (ctx, id, _payload, args, result) => deps.errors.formatResult(result, operationFacts(ctx.extra, id, args)),
      onError: (ctx, id, payload, errors) => deps.errors.formatErrors(errors, operationFacts(ctx.extra, id, payload), 'GRAPHQL_VALIDATION_FAILED'),
      onComplete: (ctx, id) => void ctx.extra.requestIds?.delete(id),
      context: (ctx, id): RequestContext => {
        const socket = ctx.extra.socket;
        const requestId = randomUUID();
        (ctx.extra.requestIds ??= new Map()).set(id, requestId);
        return {
          viewerId: ctx.extra.viewerId ?? null,
          requestId,
          clientAddress: ctx.extra.clientAddress ?? 'unknown',
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
