import { randomBytes } from 'node:crypto';
import { serverAudits } from 'graphql-http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { sideEffects } from './harness/side-effects.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { postTweet, signUp, type SignedIn } from './harness/users.js';

/**
 * Hostile requests at the HTTP and websocket layers, each with its expected clear answer and a
 * check that nothing was stored or produced. (GraphQL-level rejections: rejected-input.test.ts.)
 */
describe('hostile input', () => {
  let t: TestApp;
  let user: SignedIn;
  beforeAll(async () => {
    // Production mode: what a hostile client meets in a deployment (no stack traces, no introspection).
    t = await startTestApp({ env: { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex') } });
    user = await signUp(t, 'target');
    const id = await postTweet(t, user, 'settled');
    await eventually(() => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id }), (r) => r.data?.tweet?.id === id);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${user.token}`, ...headers }, body });
  const mutation = JSON.stringify({ query: 'mutation { postTweet(text: "should never be stored") { id } }' });

  const cases: { name: string; send: () => Promise<Response>; status: number; body?: RegExp }[] = [
    { name: 'malformed JSON', send: () => post('{"query": "mutation {'), status: 400, body: /not valid JSON/ },
    { name: 'a body over the limit', send: () => post(JSON.stringify({ query: `mutation { postTweet(text: "${'x'.repeat(70_000)}") { id } }` })), status: 413, body: /too large/ },
    { name: 'huge variables', send: () => post(JSON.stringify({ query: 'mutation($t: String!) { postTweet(text: $t) { id } }', variables: { t: 'y'.repeat(200_000) } })), status: 413 },
    { name: 'text/plain body (CSRF-able simple request)', send: () => post(mutation, { 'content-type': 'text/plain' }), status: 400 },
    { name: 'form-encoded body', send: () => post('query=mutation%20%7B%20postTweet(text%3A%22x%22)%20%7B%20id%20%7D%20%7D', { 'content-type': 'application/x-www-form-urlencoded' }), status: 400 },
    { name: 'no content type', send: () => post(mutation, {}), status: 400 },
    {
      name: 'a mutation over GET',
      send: () => fetch(`${t.url}?query=${encodeURIComponent('mutation { postTweet(text: "via get") { id } }')}`, { headers: { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': '1' } }),
      status: 405,
    },
    { name: 'a batched request', send: () => post(`[${mutation},${mutation}]`), status: 400 },
    { name: 'a query that does not parse', send: () => post(JSON.stringify({ query: 'mutation { postTweet(' })), status: 400, body: /Syntax Error/ },
    { name: 'an unknown field', send: () => post(JSON.stringify({ query: 'mutation { postTweet(text: "x") { id password } }' })), status: 400, body: /Cannot query field/ },
    { name: 'a variable of the wrong type', send: () => post(JSON.stringify({ query: 'mutation($t: String!) { postTweet(text: $t) { id } }', variables: { t: 42 } })), status: 400, body: /String cannot represent/ },
    { name: 'a missing variable', send: () => post(JSON.stringify({ query: 'mutation($t: String!) { postTweet(text: $t) { id } }' })), status: 400, body: /was not provided/ },
    { name: 'a wide query (cost)', send: () => post(JSON.stringify({ query: `{ ${Array.from({ length: 14 }, (_, i) => `a${i}: homeTimeline(first: 100) { edges { node { author { followers(first: 100) { edges { node { handle } } } } } } }`).join(' ')} }` })), status: 400, body: /Cost limit/ },
    { name: 'introspection in production', send: () => post(JSON.stringify({ query: '{ __schema { types { name } } }' })), status: 400, body: /introspection/i },
    { name: 'a query string of 60 KB', send: () => post(JSON.stringify({ query: `{ ${'me { id } '.repeat(6000)} }` })), status: 400 },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status}, nothing stored or produced`, async () => {
      const before = await sideEffects(t);
      const res = await c.send();
      const text = await res.text();
      expect(res.status, text.slice(0, 300)).toBe(c.status);
      expect(text).not.toMatch(/<html|at \w+ \(/i);
      if (c.body) expect(text).toMatch(c.body);
      expect(await sideEffects(t)).toEqual(before);
    });
  }

  it('closes a websocket that sends a malformed frame with 4400 and stores nothing', async () => {
    const before = await sideEffects(t);
    const socket = new WebSocket(t.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send('{"type": "connection_init", "payload": ');
    expect(await new Promise<number>((resolve) => socket.once('close', resolve))).toBe(4400);
    expect(await sideEffects(t)).toEqual(before);
  });

  it('closes a websocket that never initialises, after the init timeout, with 4408', async () => {
    const other = await startTestApp({ env: { WS_CONNECTION_INIT_TIMEOUT_MS: '300' } });
    try {
      const socket = new WebSocket(other.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      expect(await new Promise<number>((resolve) => socket.once('close', resolve))).toBe(4408);
    } finally {
      await other.stop();
    }
  });

  it('closes a websocket that presents a forged token with 4403', async () => {
    const socket = new WebSocket(t.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer forged.token.here' } }));
    expect(await new Promise<number>((resolve) => socket.once('close', resolve))).toBe(4403);
  });

  it('passes every MUST of the GraphQL-over-HTTP audits (graphql-http); SHOULD warnings are listed', async () => {
    // The audits probe with `__type` queries, so they need introspection, which production turns
    // off by default: audit the same production build with it switched on.
    const audited = await startTestApp({ env: { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), GRAPHQL_INTROSPECTION: 'true' } });
    const results = await Promise.all(serverAudits({ url: audited.url }).map((audit) => audit.fn())).finally(() => audited.stop());
    const failures = results.filter((r) => r.status === 'error');
    const warnings = results.filter((r) => r.status === 'warn' || r.status === 'notice');
    for (const w of warnings) console.log(`graphql-http ${w.status}: ${w.id} ${w.name} — ${'reason' in w ? w.reason : ''}`);
    expect(failures.map((f) => `${f.id} ${f.name}: ${'reason' in f ? f.reason : ''}`)).toEqual([]);
  });
});
