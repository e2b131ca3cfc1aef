/**
 * The load generator, in its own process so it does not share the service's event loop: receives
 * a LoadSpec over IPC, runs autocannon, and answers with a LoadResult. Latencies are taken from
 * autocannon's per-response events (float milliseconds), not its 1 ms-resolution histogram.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load-spec.js';
import { summarize } from './stats.js';

function bodyFor(spec: LoadSpec, n: number): string {
  const variables: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.variables ?? {})) variables[k] = v.replaceAll('{n}', String(n));
  return JSON.stringify({ query: spec.query, variables });
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const tokens = JSON.parse(readFileSync(spec.tokensFile, 'utf8')) as string[];
  if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(spec.url)) throw new Error('load only targets this machine');
  let sent = 0;
  let graphqlErrors = 0;
  let firstGraphqlError: string | undefined;
  const latencies: number[] = [];
  let finished!: (result: autocannon.Result) => void;
  let failed!: (err: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finished = resolve), (failed = reject)));
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const n = sent++;
          request.headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` };
          request.body = bodyFor(spec, n);
          return request;
        },
        onResponse: (_status, body) => {
          if (body.includes('"errors"')) {
            graphqlErrors++;
            firstGraphqlError ??= body.slice(0, 500);
          }
        },
      },
    ],
  }, (err, result) => (err ? failed(err) : finished(result)));
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await done;
  const summary = summarize(latencies);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyMs: { p50: summary.p50, p90: summary.p90, p99: summary.p99, max: summary.max, mean: summary.mean, count: summary.count },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    graphqlErrors,
    ...(firstGraphqlError ? { firstGraphqlError } : {}),
  };
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? err.stack : String(err) }, () => process.exit(1)),
  );
});
