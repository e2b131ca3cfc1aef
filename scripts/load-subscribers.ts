/**
 * Load script (not a test): opens N homeTimeline subscribers against a running service, posts at a
 * given rate, and reports server memory per connection and post → push latency percentiles.
 *
 *   npm run load:subscribers -- --url http://127.0.0.1:4000/graphql --ops http://127.0.0.1:9464 --subscribers 500 --rate 20 --seconds 15
 *
 * `--ops` is the service's ops port (OPS_PORT: its /metrics gives the server's memory).
 *
 * Only ever point it at a service on this machine. It stops by itself after --seconds. The author
 * posts more than a person would: start the service with MUTATION_RATE_LIMIT raised above rate × 60,
 * and (every subscriber signs up from this machine) SIGNUP_RATE_LIMIT above the number of subscribers.
 */
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
    ops: { type: 'string', default: 'http://127.0.0.1:9464' },
    subscribers: { type: 'string', default: '500' },
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '15' },
  },
});
const url = values.url!;
const opsUrl = values.ops!.replace(/\/$/, '');
const subscribers = Number(values.subscribers);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const local = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/;
if (!local.test(url) || !local.test(`${opsUrl}/`)) throw new Error('load tests only target this machine (127.0.0.1/localhost)');

async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function residentBytes(): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? NaN);
}

const run = Date.now().toString(36);
const signUp = async (handle: string) =>
  (await gql<{ signUp: { token: string } }>('mutation($h: String!) { signUp(handle: $h, password: "load-test-pass") { token } }', { h: handle })).signUp.token;

console.log(`signing up 1 author and ${subscribers} subscribers…`);
const authorHandle = `la${run}`.slice(0, 15);
const authorToken = await signUp(authorHandle);
const tokens: string[] = [];
for (let i = 0; i < subscribers; i++) {
  const token = await signUp(`l${i}${run}`.slice(0, 15));
  await gql('mutation($h: String!) { follow(handle: $h) { id } }', { h: authorHandle }, token);
  tokens.push(token);
}

global.gc?.();
const memoryBefore = await residentBytes();
const arrivals = new Map<string, number[]>();
const clients = tokens.map((token) => {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0 });
  client.subscribe<{ homeTimeline: { node: { id: string } } }>(
    { query: 'subscription { homeTimeline { node { id } } }' },
    {
      next: (r) => {
        const id = r.data?.homeTimeline.node.id;
        if (id) (arrivals.get(id) ?? arrivals.set(id, []).get(id)!).push(performance.now());
      },
      error: () => {},
      complete: () => {},
    },
  );
  return client;
});
// Give every connection time to subscribe before measuring.
await new Promise((r) => setTimeout(r, 2000));
const memoryAfter = await residentBytes();

console.log(`posting ${rate}/s for ${seconds} s…`);
const postedAt = new Map<string, number>();
const started = performance.now();
const posts: Promise<void>[] = [];
for (let i = 0; i < rate * seconds; i++) {
  const due = started + (i * 1000) / rate;
  if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
  const at = performance.now();
  posts.push(
    gql<{ postTweet: { id: string } }>('mutation($t: String!) { postTweet(text: $t) { id } }', { t: `load ${i}` }, authorToken).then((d) =>
      void postedAt.set(d.postTweet.id, at),
    ),
  );
}
await Promise.all(posts);
await new Promise((r) => setTimeout(r, 3000));

const latencies: number[] = [];
for (const [id, at] of postedAt) for (const arrival of arrivals.get(id) ?? []) latencies.push(arrival - at);
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
const expected = postedAt.size * subscribers;
console.log(
  JSON.stringify(
    {
      subscribers,
      ratePerSecond: rate,
      seconds,
      pushesExpected: expected,
      pushesReceived: latencies.length,
      serverMemoryPerConnectionKiB: Math.round((memoryAfter - memoryBefore) / subscribers / 1024),
      latencyMs: { p50: Math.round(pct(50)), p99: Math.round(pct(99)), max: Math.round(latencies.at(-1) ?? NaN) },
    },
    null,
    2,
  ),
);
await Promise.all(clients.map((c) => c.dispose()));
process.exit(0);
