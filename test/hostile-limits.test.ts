import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { signUp, type SignedIn } from './harness/users.js';
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
    const before = (await metrics()).length;
    // 40 distinct names of 1.5 KB each: none becomes a label.
    for (let i = 0; i < 40; i++) expect((await named(`q${i}_${'x'.repeat(1500)}`)).data).toBeTruthy();
    let labels = await operationLabels();
    expect([...labels].every((l) => l!.length <= 64)).toBe(true);
    expect(labels).toContain('other');
    expect((await metrics()).length - before).toBeLessThan(5_000);

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
