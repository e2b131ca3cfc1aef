import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler, type Router } from 'express';
import type { Metrics } from './metrics.js';

/** Named checks; each resolves when healthy and throws (with a reason) otherwise. */
export type ReadinessChecks = Record<string, () => Promise<void>>;

/**
 * /healthz: the process is alive. /readyz: every dependency answers (Kafka, Redis, consumer groups
 * assigned) — 503 with the failing checks otherwise. Served on the ops port and, for load
 * balancers that probe the port they send traffic to, on the API port too.
 */
export function healthRouter(options: { readiness: ReadinessChecks }): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  return router;
}

/**
 * The ops port's routes: health (above) and /metrics in Prometheus text format. /metrics is never
 * on the API port: it tells anyone who can reach it the traffic, error and consumer figures of
 * the deployment, so it belongs where only the scraper reaches (OPS_PORT, off the public network).
 */
export function opsRouter(options: { metrics: Metrics; readiness: ReadinessChecks }): Router {
  const router = express.Router();
  router.use(healthRouter(options));
  router.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  return router;
}

/** Counts and times every HTTP request; the route label is the mount path, never the raw URL. */
export function httpMetrics(metrics: Metrics['http']): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Read now: routers mounted under a path rewrite req.path before the response finishes.
    const path = req.path;
    res.once('finish', () => {
      const route = ['/graphql', '/graphiql', '/healthz', '/readyz', '/metrics'].find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.duration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/** The ops routes alone on their own port (OPS_PORT), in every process. */
export async function startOpsServer(host: string, port: number, router: Router): Promise<{ url: string; stop(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.use(router);
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
