import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn } from './harness/users.js';
import { wsOperation } from './harness/ws-client.js';

/** What a production deployment needs: a strong secret of its own. */
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex') };

interface Answer {
  /** HTTP status, or 200 for a websocket operation that ran and 400 for one refused with an `error` message. */
  status: number;
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

type Transport = 'http' | 'ws';

/** One operation over either transport, answered alike: refused operations come back as status 400 with errors. */
async function run(t: TestApp, transport: Transport, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  if (transport === 'http') {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  }
  const outcome = await wsOperation(t.url, token, query, variables);
  if (outcome.errors) return { status: 400, errors: outcome.errors };
  const last = outcome.results.at(-1);
  return { status: 200, data: (last?.data as Record<string, unknown>) ?? null, errors: last?.errors as Answer['errors'] };
}

/** `count` aliases of followers-of-followers, each page `first: $n` (or the argument default without `first`). */
function nestedFollowers(count: number, first: string | null): string {
  const page = first === null ? '' : `(first: ${first})`;
  const one = (i: number) => `a${i}: me { followers${page} { edges { node { followers${page} { edges { node { handle } } } } } } }`;
  return `query${first === '$n' ? '($n: Int)' : ''} { ${Array.from({ length: count }, (_, i) => one(i)).join(' ')} }`;
}

describe('hostile limits: one operation policy for HTTP and websockets', () => {
  let t: TestApp;
  let user: SignedIn;
  beforeAll(async () => {
    t = await startTestApp({ env: PRODUCTION });
    user = await signUp(t, 'costly');
  });
  afterAll(async () => {
    await t?.stop();
  });

  for (const transport of ['http', 'ws'] as const) {
    describe(`over ${transport}`, () => {
      const refusedFor = (answer: Answer, message: RegExp) => {
        expect(answer.status, JSON.stringify(answer)).toBe(400);
        expect(answer.data ?? null).toBeNull();
        expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(answer.errors?.[0]?.message).toMatch(message);
      };

      it('prices `first` given as a variable: followers(first: $n), n = 100, nested and aliased 15 times, is refused', async () => {
        refusedFor(await run(t, transport, user.token, nestedFollowers(15, '$n'), { n: 100 }), /Cost limit of 5000 exceeded, found \d+/);
        // One alone already asks for 10,000 users.
        refusedFor(await run(t, transport, user.token, nestedFollowers(1, '$n'), { n: 100 }), /Cost limit of 5000 exceeded/);
      });

      it("prices a variable's default and an argument's default", async () => {
        refusedFor(await run(t, transport, user.token, nestedFollowers(5, '$n').replace('$n: Int', '$n: Int = 100')), /Cost limit/);
        // `followers` alone is `followers(first: 20)`: 5 × 20 × 20 users.
        refusedFor(await run(t, transport, user.token, nestedFollowers(5, null)), /Cost limit/);
      });

      it('runs the same shape with small pages', async () => {
        const answer = await run(t, transport, user.token, nestedFollowers(15, '$n'), { n: 3 });
        expect(answer.status, JSON.stringify(answer)).toBe(200);
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.a14).toEqual({ followers: { edges: [] } });
      });

      it('refuses introspection in production', async () => {
        refusedFor(await run(t, transport, user.token, '{ __schema { types { name } } }'), /introspection/i);
        refusedFor(await run(t, transport, user.token, '{ __type(name: "Tweet") { name } }'), /introspection/i);
      });

      it('refuses too deep and too many aliases', async () => {
        const deep = '{ me { followers { edges { node { followers { edges { node { followers { edges { node { handle } } } } } } } } } } }';
        refusedFor(await run(t, transport, user.token, deep), /depth/i);
        refusedFor(await run(t, transport, user.token, `{ ${Array.from({ length: 16 }, (_, i) => `m${i}: me { id }`).join(' ')} }`), /aliases/i);
      });

      it('refuses a document that does not parse with a clear error', async () => {
        const answer = await run(t, transport, user.token, '{ me { id ');
        expect(answer.status).toBe(400);
        expect(answer.errors?.[0]?.message).toMatch(/Syntax Error/);
      });
    });
  }
});

describe('hostile limits: metrics', () => {
  let t: TestApp;
  let user: SignedIn;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...PRODUCTION, METRICS_OPERATION_NAMES: '20' } });
    user = await signUp(t, 'namer');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const metrics = async () => (await fetch(`${t.opsUrl}/metrics`)).text();
  /** The distinct `operation` label values of graphql_operations_total. */
  // Only the series the operation label feeds: other series (garbage-collection kinds, a consumer
  // group's first latency histogram) may appear during the test and are not its subject.
  const operationSeries = async () => (await metrics()).split('\n').filter((line) => line.startsWith('graphql_operation')).join('\n');
  const operationLabels = async () => new Set([...(await metrics()).matchAll(/^graphql_operations_total\{operation="([^"]*)"/gm)].map((m) => m[1]));
  const named = (name: string) => t.gql(`query ${name} { me { id } }`, {}, user.token);

  it('serves /metrics on the ops port only, never on the public API port', async () => {
    const api = t.url.replace(/\/graphql$/, '');
    expect((await fetch(`${api}/metrics`)).status).toBe(404);
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect(new URL(t.opsUrl).port).not.toBe(new URL(t.url).port);
    expect(await metrics()).toMatch(/^graphql_operations_total/m);
  });

  it('bounds the operation label: long names and names past the cap count as `other`', async () => {
    const before = (await operationSeries()).length;
    // 40 distinct names of 1.5 KB each: none becomes a label.
    for (let i = 0; i < 40; i++) expect((await named(`q${i}_${'x'.repeat(1500)}`)).data).toBeTruthy();
    let labels = await operationLabels();
    expect([...labels].every((l) => l!.length <= 64)).toBe(true);
    expect(labels).toContain('other');
    expect((await operationSeries()).length - before).toBeLessThan(5_000);

    // Short names: the first 20 distinct ones get a label, the rest share `other`.
    for (let i = 0; i < 60; i++) await named(`Op${i}`);
    labels = await operationLabels();
    const own = [...labels].filter((l) => l!.startsWith('Op'));
    expect(own).toHaveLength(20);
    expect(own).toContain('Op0');
    expect(labels).not.toContain('Op59');
    // A name that has its label keeps it.
    await named('Op0');
    expect(await metrics()).toMatch(/^graphql_operations_total\{operation="Op0",type="query",outcome="ok"\} 2$/m);
    expect(await metrics()).toMatch(/^graphql_operations_total\{operation="other",type="query",outcome="ok"\} 80$/m);
  });
});

describe('hostile limits: subscriptions', () => {
  let t: TestApp;
  let author: SignedIn;
  let tweetId: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...PRODUCTION, WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3', WS_MAX_SOCKETS_PER_USER: '2' } });
    author = await signUp(t, 'watched');
    tweetId = await postTweet(t, author, 'watch me');
    await eventually(() => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id: tweetId }), (r) => r.data?.tweet?.id === tweetId, { what: 'stored' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const WATCH = 'subscription($id: ID!) { tweetUpdated(id: $id) { id } }';
  const listening = async () => (await scanKeys(t, 'listening:*')).filter((k) => k.includes(':tweet:')).length;

  it('caps subscriptions per socket with TOO_MANY_SUBSCRIPTIONS; the socket stays open and a freed slot is reusable', async () => {
    const socket = await rawSocket(t.url, author.token);
    try {
      for (const id of ['1', '2', '3']) socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: WATCH, variables: { id: tweetId } } }));
      await eventually(async () => (await t.app.metrics.live.activeSubscriptions.get()).values[0]?.value ?? 0, (n) => n >= 3, { what: '3 running' });
      socket.send(JSON.stringify({ id: '4', type: 'subscribe', payload: { query: WATCH, variables: { id: tweetId } } }));
      const refused = await socket.next((m) => m.id === '4');
      expect(refused.type).toBe('error');
      expect(refused.payload).toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 } }]);
      // A query is no subscription: it runs.
      socket.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: '{ me { id } }' } }));
      expect((await socket.next((m) => m.id === 'q')).type).toBe('next');
      socket.send(JSON.stringify({ id: '1', type: 'complete' }));
      await eventually(async () => (await t.app.metrics.live.activeSubscriptions.get()).values[0]?.value ?? 0, (n) => n === 2, { what: 'one completed' });
      socket.send(JSON.stringify({ id: '5', type: 'subscribe', payload: { query: WATCH, variables: { id: tweetId } } }));
      await eventually(async () => (await t.app.metrics.live.activeSubscriptions.get()).values[0]?.value ?? 0, (n) => n === 3, { what: 'slot reused' });
      expect(socket.closed).toBe(false);
    } finally {
      socket.close();
    }
  });

  it('caps sockets per user: one more is closed with 4429; closing one makes room', async () => {
    const first = await rawSocket(t.url, author.token);
    const second = await rawSocket(t.url, author.token);
    const third = await rawSocket(t.url, author.token).catch((err: Error & { code?: number }) => err);
    expect((third as { code?: number }).code).toBe(4429);
    // Another user is not affected.
    const other = await signUp(t, 'neighbour');
    (await rawSocket(t.url, other.token)).close();
    first.close();
    await first.whenClosed;
    const again = await rawSocket(t.url, author.token);
    again.close();
    second.close();
  });

  it('refuses tweetUpdated for a tweet that does not exist, or that moderation hides from the viewer, with NOT_FOUND and no channel', async () => {
    const viewer = await signUp(t, 'curious');
    const before = await listening();
    // Old ids (no waiting for them to be stored) and a fresh one (waited for, briefly) alike.
    const unknown = ['12345', String((BigInt(Date.now() - Date.UTC(2024, 0, 1) - 3_600_000) << 22n) + 1n)];
    for (const id of unknown) {
      const outcome = await wsOperation(t.url, viewer.token, WATCH, { id });
      expect(outcome.results.at(-1)?.errors?.[0], JSON.stringify(outcome)).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    }
    const spam = await postTweet(t, author, 'BUY FOLLOWERS cheap!!!!!!!!!!!! http://a.example');
    await eventually(() => t.gql<{ tweet: { moderation: { flagged: boolean } | null } | null }>('query($id: ID!) { tweet(id: $id) { moderation { flagged } } }', { id: spam }, author.token), (r) => r.data?.tweet?.moderation?.flagged === true, { what: 'flagged' });
    const hidden = await wsOperation(t.url, viewer.token, WATCH, { id: spam });
    expect(hidden.results.at(-1)?.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await listening()).toBe(before);
  });
});

/** Every key matching `pattern` in the app's Redis. */
async function scanKeys(t: TestApp, pattern: string): Promise<string[]> {
  const redis = new Redis(t.redis.url);
  try {
    const found: string[] = [];
    for await (const batch of redis.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) found.push(...batch);
    return found;
  } finally {
    redis.disconnect();
  }
}

interface RawMessage {
  id?: string;
  type: string;
  payload?: unknown;
}

/** An acknowledged graphql-transport-ws socket by hand; rejects with the close code (as `code`) when refused. */
async function rawSocket(httpUrl: string, token: string) {
  const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: RawMessage[] = [];
  const waiters: (() => void)[] = [];
  let closedWith: number | null = null;
  const whenClosed = new Promise<number>((resolve) =>
    socket.once('close', (code) => {
      closedWith = code;
      resolve(code);
      for (const w of waiters.splice(0)) w();
    }),
  );
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as RawMessage);
    for (const w of waiters.splice(0)) w();
  });
  const next = async (match: (m: RawMessage) => boolean): Promise<RawMessage> => {
    for (;;) {
      const i = messages.findIndex(match);
      if (i >= 0) return messages.splice(i, 1)[0]!;
      if (closedWith !== null) throw Object.assign(new Error(`socket closed with ${closedWith}`), { code: closedWith });
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await next((m) => m.type === 'connection_ack');
  return {
    send: (data: string) => socket.send(data),
    next,
    close: () => socket.close(),
    whenClosed,
    get closed() {
      return closedWith !== null;
    },
  };
}

describe('hostile limits: forYou snapshots', () => {
  let t: TestApp;
  let reader: SignedIn;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...PRODUCTION, FORYOU_SNAPSHOTS_PER_USER: '3' } });
    reader = await signUp(t, 'ranked');
    // Two authors: forYou's variety rule keeps any one author to 2 of 10.
    const authors = [await signUp(t, 'ranker'), await signUp(t, 'ranker')];
    for (const author of authors) await follow(t, reader, author.handle);
    for (let i = 0; i < 3; i++) await postTweet(t, authors[i % 2]!, `something worth ranking ${i}`);
    await eventually(() => homeTimeline(t, reader), (p) => p.edges.length === 3, { what: 'fan-out' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const snapshots = async () => (await scanKeys(t, `foryou:{${reader.id}}:*`)).length;
  const aliased = `{ ${Array.from({ length: 10 }, (_, i) => `f${i}: forYou(first: ${i + 1}) { edges { cursor node { id } } pageInfo { endCursor } }`).join(' ')} }`;

  it('ranks once for ten aliased first pages: one snapshot, one ranking for all', async () => {
    const res = await t.gql<Record<string, { edges: { cursor: string; node: { id: string } }[] }>>(aliased, {}, reader.token);
    expect(res.errors).toBeUndefined();
    expect(await snapshots()).toBe(1);
    const pages = Object.values(res.data!);
    expect(new Set(pages.map((p) => p.edges[0]!.cursor)).size).toBe(1);
    expect(pages[9]!.edges.map((e) => e.node.id)).toHaveLength(3);
  });

  it('keeps at most FORYOU_SNAPSHOTS_PER_USER rankings per user however many requests come; the oldest cursors expire', async () => {
    const first = await t.gql<{ forYou: { pageInfo: { endCursor: string } } }>('{ forYou(first: 1) { pageInfo { endCursor } } }', {}, reader.token);
    for (let i = 0; i < 6; i++) expect((await t.gql(aliased, {}, reader.token)).errors).toBeUndefined();
    expect(await snapshots()).toBe(3);
    const stale = await t.gql('query($a: String) { forYou(first: 1, after: $a) { edges { cursor } } }', { a: first.data!.forYou.pageInfo.endCursor }, reader.token);
    expect(stale.errors?.[0]).toMatchObject({ message: expect.stringMatching(/cursor expired/) as string, extensions: { code: 'BAD_USER_INPUT' } });
  });
});
