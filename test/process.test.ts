import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';
import { eventually } from './harness/poll.js';
import { runService, type ServiceProcess } from './harness/processes.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT_DIR, 'dist', 'main.js');

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
}

/**
 * The built service as users run it: split into `serve` and `consume <group>` processes, and
 * stopping cleanly (exit 0) on SIGTERM. Needs `npm run build` first (npm test does it).
 */
describe('the built service', () => {
  let redis: LocalRedis;
  let dataDir: string;
  const procs: ServiceProcess[] = [];
  let env: Record<string, string>;
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'test-redis-'));
    redis = await startLocalRedis({ dataDir, logger: createLogger({ level: 'warn' }) });
    env = {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_URL: redis.url,
      KAFKA_NAMESPACE: `proc${process.pid}.`,
      KAFKA_PARTITIONS: '2',
      PORT: '0',
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs split into an API process and one process per consumer group, each exiting 0 on SIGTERM', async () => {
    const api = runService(['serve'], env);
    procs.push(api);
    const running = await eventually(async () => api.logged('timeline service running'), (e) => e !== undefined, { what: 'API start', timeoutMs: 60_000 });
    const url = running!.graphql as string;
    const groups = ['tweet-store', 'fanout', 'timeline-merge'].map((g) => runService(['consume', g], env));
    procs.push(...groups);
    for (const g of groups) await eventually(async () => g.logged('consumer started'), (e) => e !== undefined, { what: 'consumer start', timeoutMs: 60_000 });
    // Each consumer-only process serves /readyz and /metrics on its own ops port.
    for (const g of groups) {
      const ops = await eventually(async () => g.logged('ops routes listening'), (e) => e !== undefined, { what: 'ops routes' });
      await eventually(async () => (await fetch(`${String(ops!.url)}/readyz`)).status, (status) => status === 200, { what: 'consumer ready' });
    }

    // The first command the start line offers works as printed (its JSON body, posted as curl would).
    const tryFirst = String(running!.tryFirst);
    const body = /-d '(.*)'$/.exec(tryFirst)?.[1];
    expect(tryFirst.startsWith(`curl -s ${url} -H 'content-type: application/json'`)).toBe(true);
    const tried = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body! });
    expect(((await tried.json()) as { data?: { signUp?: { token?: unknown } } }).data?.signUp?.token).toEqual(expect.any(String));

    const signUp = await gql(url, 'mutation { signUp(handle: "split_user", password: "longenough") { token } }');
    const token = signUp.data!.signUp.token as string;
    const posted = await gql(url, 'mutation { postTweet(text: "through split processes") { id } }', {}, token);
    const id = posted.data!.postTweet.id as string;
    await eventually(
      () => gql(url, '{ homeTimeline { edges { node { id } } } }', {}, token),
      (r) => r.data?.homeTimeline.edges[0]?.node.id === id,
      { what: 'tweet through split processes' },
    );

    // The operator's commands against the same deployment.
    const lag = runService(['lag'], env);
    expect(await lag.exited).toBe(0);
    expect(lag.lines.join('\n')).toMatch(new RegExp(`${env.KAFKA_NAMESPACE!.replace('.', '\\.')}fanout\\s+${env.KAFKA_NAMESPACE!.replace('.', '\\.')}tweets\\s+0`));
    expect(lag.lines.join('\n')).toMatch(/total lag: \d+/);
    const dlq = runService(['dlq', 'list', 'fanout'], env);
    expect(await dlq.exited).toBe(0);
    expect(dlq.lines.join('\n')).toMatch(/0 dead letter\(s\) in proc\d+\.tweets\.fanout\.dlq/);

    for (const p of [api, ...groups]) p.child.kill('SIGTERM');
    const codes = await Promise.all([api, ...groups].map((p) => p.exited));
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(api.logged('stopped cleanly')).toBeDefined();
  });

  it('stops cleanly on SIGTERM outside the test environment too (Apollo leaves the signals to us)', async () => {
    // Vitest sets NODE_ENV=test, which alone turns Apollo's own signal handlers off.
    const api = runService(['serve'], { ...env, NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex') });
    procs.push(api);
    await eventually(async () => api.logged('timeline service running'), (e) => e !== undefined, { what: 'the API', timeoutMs: 60_000 });
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.logged('stopped cleanly')).toBeDefined();
  });

  it('refuses to start in production without JWT_SECRET, with a clear message', async () => {
    const p = runService(['serve'], { ...env, NODE_ENV: 'production' });
    procs.push(p);
    expect(await p.exited).toBe(2);
    expect(p.lines.join('\n')).toMatch(/JWT_SECRET: required when NODE_ENV=production/);
  });
});
