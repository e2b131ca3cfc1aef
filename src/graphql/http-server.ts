import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { unauthenticated, type DomainError } from '../domain/errors.js';
import type { TokenService } from '../domain/tokens.js';
import type { Logger } from '../observability/logger.js';
import type { RequestContext, Services } from './context.js';
import { createErrorFormatter } from './errors.js';
import { createLoaders } from './loaders.js';
import { buildSchema } from './schema.js';

export interface ApiServerOptions {
  host: string;
  port: number;
  introspection: boolean;
  production: boolean;
  /** Largest accepted request body; larger ones get 413. */
  bodyLimit?: string;
}

export interface ApiServer {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  stop(): Promise<void>;
}

/** Reads `Authorization: Bearer <jwt>`; a refused token becomes `authError`, not a thrown error. */
async function authenticate(
  header: string | undefined,
  tokens: TokenService,
): Promise<{ viewerId: string | null; authError: DomainError | null }> {
  if (!header) return { viewerId: null, authError: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return { viewerId: null, authError: unauthenticated('Authorization header must be "Bearer <token>"') };
  try {
    return { viewerId: await tokens.verify(match[1]!), authError: null };
  } catch (err) {
    return { viewerId: null, authError: err as DomainError };
  }
}

/** The GraphQL API over HTTP at /graphql, plus /healthz. */
export async function startApiServer(
  deps: { services: Services; repositories: Parameters<typeof createLoaders>[0]; tokens: TokenService; logger: Logger },
  options: ApiServerOptions,
): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    schema: buildSchema(),
    introspection: options.introspection,
    formatError: createErrorFormatter({ logger: deps.logger, production: options.production }),
    includeStacktraceInErrorResponses: !options.production,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '64kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const auth = await authenticate(req.headers.authorization, deps.tokens);
        return { ...auth, services: deps.services, loaders: createLoaders(deps.repositories) };
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  deps.logger.info({ url }, 'GraphQL API listening');
  return { url, stop: () => apollo.stop() };
}
