import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startApp, type App, type AppRoles, type InternalAppOptions } from '../../src/app.js';
import { ConfigError, loadConfig, type Config } from '../../src/config/index.js';
import { createTokenService, type TokenService } from '../../src/domain/tokens.js';
import { createLogger } from '../../src/observability/logger.js';
import type { BenchContext } from './context.js';

export interface BenchService {
  app: App;
  config: Config;
  /** The GraphQL endpoint, when the API role runs. */
  url: string;
  /** Signs tokens the service accepts (same secret). */
  tokens: TokenService;
  /** Where the service's own log lines go. */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The whole service in this process (startApp) with the given roles, against the run's broker and
 * a Redis the benchmark started, in a topic namespace of its own. Production mode, info logs to a
 * file under bench/results/tmp/ (the cost of logging is part of what is measured).
 */
export async function startBenchService(
  ctx: BenchContext,
  options: { name: string; redisUrl: string; roles: AppRoles; env?: Record<string, string>; internal?: InternalAppOptions },
): Promise<BenchService> {
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PORT: '0',
    LOG_LEVEL: 'info',
    KAFKA_NAMESPACE: `bench-${options.name}-${randomBytes(3).toString('hex')}.`,
    ...options.env,
    ...ctx.serviceEnv,
  });
  const logFile = join(ctx.tmpDir, `${options.name}.log`);
  const logger = createLogger({ level: config.logLevel, name: `bench-${options.name}`, file: logFile });
  const app = await startApp(config, { kafkaBrokers: ctx.kafkaBrokers, redisUrl: options.redisUrl }, options.roles, logger, options.internal);
  const url = app.apiUrl ?? '';
  if (url) await waitReady(url.replace(/\/graphql$/, '/readyz'));
  return {
    app,
    config,
    url,
    tokens: createTokenService(config.auth.jwtSecret!.reveal(), config.auth.jwtTtlSeconds),
    logFile,
    stop: () => app.stop(),
  };
}

/** Until /readyz answers 200: Redis and Kafka answer and every consumer group has its partitions. */
async function waitReady(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms (last status ${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * True when the service's configuration knows `name`: an invalid value must then be refused.
 * Lets a benchmark use a setting another branch adds, and skip what depends on it otherwise.
 */
export function configKnows(name: string, invalidValue = 'not-a-valid-value'): boolean {
  try {
    loadConfig({ [name]: invalidValue });
    return false;
  } catch (err) {
    return err instanceof ConfigError && err.message.includes(name);
  }
}

/** POSTs one GraphQL operation; throws on transport errors and on GraphQL errors. */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`GraphQL request failed (${response.status}): ${JSON.stringify(body.errors)}`);
  return body.data;
}
