import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sideEffects } from './harness/side-effects.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { postTweet, signUp, type SignedIn } from './harness/users.js';

/**
 * Every rejected request gets its documented code and a clear message, and leaves no trace:
 * no Redis key written, no Kafka message produced.
 */
describe('rejected requests change nothing', () => {
  let t: TestApp;
  let alice: SignedIn;
  let bob: SignedIn;
  let alicesTweet: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { JWT_SECRET: secret } });
    alice = await signUp(t, 'alice');
    bob = await signUp(t, 'bob');
    alicesTweet = await postTweet(t, alice, 'mine');
    // Let the tweet be stored so the fingerprint below is stable.
    const { eventually } = await import('./harness/poll.js');
    await eventually(
      () => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id: alicesTweet }),
      (r) => r.data?.tweet?.id === alicesTweet,
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  // The app's own secret, so the test can sign an expired token the service would otherwise accept.
  const secret = randomBytes(32).toString('hex');
  const cases: { name: string; query: string; variables?: () => Record<string, unknown>; token?: () => string; code: string; message: RegExp }[] = [
    { name: 'handle too short', query: 'mutation { signUp(handle: "ab", password: "longenough") { token } }', code: 'BAD_USER_INPUT', message: /3 to 15/ },
    { name: 'handle with a dash', query: 'mutation { signUp(handle: "no-dash", password: "longenough") { token } }', code: 'BAD_USER_INPUT', message: /letters, digits and underscore/ },
    { name: 'handle taken (other case)', query: 'mutation($h: String!) { signUp(handle: $h, password: "longenough") { token } }', variables: () => ({ h: alice.handle.toUpperCase() }), code: 'BAD_USER_INPUT', message: /already taken/ },
    { name: 'short password', query: 'mutation { signUp(handle: "newperson", password: "short") { token } }', code: 'BAD_USER_INPUT', message: /at least 8/ },
    { name: 'wrong password', query: 'mutation($h: String!) { logIn(handle: $h, password: "wrong password") { token } }', variables: () => ({ h: alice.handle }), code: 'UNAUTHENTICATED', message: /wrong handle or password/ },
    { name: 'post without token', query: 'mutation { postTweet(text: "hi") { id } }', code: 'UNAUTHENTICATED', message: /sign in/ },
    { name: 'blank tweet', query: 'mutation { postTweet(text: "   ") { id } }', token: () => alice.token, code: 'BAD_USER_INPUT', message: /blank/ },
    { name: 'tweet over 280', query: 'mutation($t: String!) { postTweet(text: $t) { id } }', variables: () => ({ t: 'x'.repeat(281) }), token: () => alice.token, code: 'BAD_USER_INPUT', message: /at most 280/ },
    { name: 'forged token', query: 'mutation { postTweet(text: "hi") { id } }', token: () => `${alice.token.slice(0, -4)}AAAA`, code: 'UNAUTHENTICATED', message: /invalid token/ },
    { name: 'alg none token', query: 'mutation { postTweet(text: "hi") { id } }', token: () => unsignedToken(alice.id), code: 'UNAUTHENTICATED', message: /invalid token/ },
    { name: 'expired token', query: 'mutation { postTweet(text: "hi") { id } }', token: () => expiredToken, code: 'UNAUTHENTICATED', message: /expired/ },
    { name: "deleting someone else's tweet", query: 'mutation($id: ID!) { deleteTweet(id: $id) }', variables: () => ({ id: alicesTweet }), token: () => bob.token, code: 'FORBIDDEN', message: /only the author/ },
    { name: 'deleting an unknown tweet', query: 'mutation { deleteTweet(id: "123456789") }', token: () => bob.token, code: 'NOT_FOUND', message: /not found/ },
    { name: 'deleting with a malformed id', query: 'mutation { deleteTweet(id: "abc") }', token: () => bob.token, code: 'BAD_USER_INPUT', message: /not a valid id/ },
    { name: 'following an unknown handle', query: 'mutation { follow(handle: "nobody_here") { id } }', token: () => bob.token, code: 'NOT_FOUND', message: /no user/ },
    { name: 'following yourself', query: 'mutation($h: String!) { follow(handle: $h) { id } }', variables: () => ({ h: bob.handle }), token: () => bob.token, code: 'BAD_USER_INPUT', message: /yourself/ },
    { name: 'a forged cursor', query: '{ homeTimeline(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }', token: () => bob.token, code: 'BAD_USER_INPUT', message: /cursor/ },
    { name: 'a page over the maximum', query: '{ homeTimeline(first: 101) { edges { cursor } } }', token: () => bob.token, code: 'BAD_USER_INPUT', message: /between 1 and 100/ },
    { name: 'a huge page', query: '{ homeTimeline(first: 100000) { edges { cursor } } }', token: () => bob.token, code: 'GRAPHQL_VALIDATION_FAILED', message: /Cost limit of 5000/ },
    {
      name: 'a query nested too deep',
      query: '{ me { followers { edges { node { followers { edges { node { followers { edges { node { tweets { edges { node { id } } } } } } } } } } } } } }',
      token: () => bob.token,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /depth limit of 10/,
    },
    {
      name: 'too many aliases',
      query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: tagVocabulary`).join(' ')} }`,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /aliases/i,
    },
    { name: 'timeline without token', query: '{ homeTimeline { edges { cursor } } }', code: 'UNAUTHENTICATED', message: /sign in/ },
  ];

  let expiredToken = '';
  beforeAll(async () => {
    expiredToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(alice.id)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(secret));
  });

  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      const before = await sideEffects(t);
      const res = await t.gql(c.query, c.variables?.(), c.token?.());
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res)).toBe(c.code);
      expect(res.errors?.[0]?.message).toMatch(c.message);
      expect(await sideEffects(t)).toEqual(before);
    });
  }
});

function unsignedToken(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
}
