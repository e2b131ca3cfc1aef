import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Router } from 'express';
import type { TokenService } from '../domain/tokens.js';
import type { LiveFeed } from '../domain/live/ports.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { httpMetrics } from '../observability/ops-routes.js';
import { operationMetricsPlugin } from './operation-metrics.js';
import { authenticate } from './authenticate.js';
import type { RequestContext, Services } from './context.js';
import { createErrorPolicy, errorReportingPlugin, requestIdFrom } from './errors.js';
import { clientAddress } from './client-address.js';
import { jitGateway } from './executor.js';
import { requestErrorHandler } from './http-errors.js';
import { graphiqlHandler } from './graphiql.js';
import { createLoaders, type LoaderOptions } from './loaders.js';
import { createOperationPolicy, operationPolicyPlugin } from './limits.js';
import { buildSchema } from './schema.js';
import { startLiveServer, type LiveServerOptions } from './ws-server.js';

export interface ApiServerOptions {
  host: string;
  port: number;
  introspection: boolean;
  production: boolean;
  /** Proxies trusted to append to X-Forwarded-For (TRUST_PROXY_HOPS; client-address.ts). */
  trustProxyHops: number;
  /** Largest accepted request body; larger ones get 413. */
  bodyLimit?: string;
  live: LiveServerOptions;
  /** Distinct operation names with a metrics label of their own (METRICS_OPERATION_NAMES). */
  maxOperationNames: number;
  /** Per-request DataLoader options for HTTP requests (benchmarks only; see LoaderOptions). */
  loaders?: LoaderOptions;
}

export interface ApiServer {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  stop(): Promise<void>;
}

let warnedForwarded = false;
/** Once per process: requests come through a proxy the settings do not trust, so budgets count the proxy's address. */
function warnForwardedOnce(logger: Logger): void {
  if (warnedForwarded) return;
  warnedForwarded = true;
  logger.warn(
    'requests carry X-Forwarded-For but TRUST_PROXY_HOPS is 0: sign-in budgets count by the connecting address (the proxy\'s?); set TRUST_PROXY_HOPS to the number of proxies in front of the API',
  );
}

/** The GraphQL API at /graphql over HTTP and websockets (graphql-ws), plus the ops routes. */
export async function startApiServer(
  deps: {
    services: Services;
    repositories: Parameters<typeof createLoaders>[0];
    tokens: TokenService;
    feed: LiveFeed;
    metrics: Metrics;
    /** /healthz and /readyz (metrics are on the ops port only). */
    health: Router;
    logger: Logger;
  },
  options: ApiServerOptions,
): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  const schema = buildSchema();
  // One definition of what an operation must pass (introspection, depth, aliases, cost), for
  // HTTP here and for websockets (startLiveServer) alike.
  const policy = createOperationPolicy({ introspection: options.introspection });
  // One error policy for both transports: formatting here and in ws-server.ts, logging in the plugin.
  const errors = createErrorPolicy({ logger: deps.logger, production: options.production });
  const apollo = new ApolloServer<RequestContext>({
    // Execution through graphql-jit (executor.ts); everything else is Apollo's own pipeline.
    gateway: jitGateway(schema),
    validationRules: [...policy.validationRules],
    // The policy's rules refuse introspection when it is off; Apollo's own rule would be a second definition.
    introspection: true,
    formatError: (formatted, error) => errors.format(formatted, error),
    includeStacktraceInErrorResponses: !options.production,
    // main.ts owns SIGTERM/SIGINT and stops the API in order; Apollo's own handlers would start a
    // second, concurrent stop (and re-raise the signal), which left the shutdown hanging.
    stopOnTerminationSignals: false,
    // GraphiQL is served offline by graphiqlHandler; Apollo's landing pages load from a CDN.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      operationPolicyPlugin(policy, schema),
      operationMetricsPlugin(deps.metrics.graphql, { maxOperationNames: options.maxOperationNames }),
      errorReportingPlugin(errors),
    ],
  });
  await apollo.start();

  app.use(httpMetrics(deps.metrics.http));
  app.use(deps.health);
  app.use(graphiqlHandler({ endpoint: '/graphql' }));
  app.use(
    '/graphql',
    (req, res, next) => {
      res.locals.requestId = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('x-request-id', res.locals.requestId as string);
      next();
    },
    express.json({ limit: options.bodyLimit ?? '64kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<RequestContext> => {
        const { viewer, expiresAt: _expiresAt, ...auth } = await authenticate(req.headers.authorization, deps.tokens, deps.services.viewers);
        const loaders = createLoaders(deps.repositories, auth.viewerId, options.loaders);
        if (viewer) loaders.user.prime(viewer.id, viewer);
        const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], options.trustProxyHops);
        if (options.trustProxyHops === 0 && req.headers['x-forwarded-for'] !== undefined) warnForwardedOnce(deps.logger);
        return { ...auth, requestId: res.locals.requestId as string, clientAddress: address, services: deps.services, loaders };
      },
    }),
  );

  app.use(requestErrorHandler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const live = startLiveServer(
    {
      httpServer,
      schema,
      policy,
      tokens: deps.tokens,
      feed: deps.feed,
      services: deps.services,
      repositories: deps.repositories,
      metrics: deps.metrics.live,
      logger: deps.logger,
      production: options.production,
      errors,
      trustProxyHops: options.trustProxyHops,
    },
    options.live,
  );
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  deps.logger.info({ url }, 'GraphQL API listening');
  return {
    url,
    async stop() {
      // Websocket clients first (close 1001), then drain HTTP requests in flight.
      await live.stop();
      await apollo.stop();
    },
  };
}
