import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';
import { gqlFrom } from './harness/from-address.js';
import { eventually } from './harness/poll.js';
import { sideEffects } from './harness/side-effects.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn } from './harness/users.js';

/**
 * Hostile input aimed at authentication and at the integrity of what is shown: forged and ghost
 * tokens, expired sockets, password guessing and sign-up floods from chosen client addresses,
 * corrupt records, unexpected errors over both transports, and text no one can read. Each test
 * failed before its fix. (HTTP-layer refusals: hostile-input.test.ts.)
 */

/** The secret the service signed with before: it is in the repository's history, so it must sign nothing now. */
const FORMER_DEVELOPMENT_SECRET = 'dev-only-secret-change-me-dev-only-secret';

const mint = (secret: string, userId: string, expiresAt = Math.floor(Date.now() / 1000) + 3600) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuedAt().setExpirationTime(expiresAt).sign(new TextEncoder().encode(secret));

const ME = 'query Me { me { id handle } }';
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

/** A pino logger whose entries the test reads. */
function capturingLogger() {
  const entries: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info', base: {} }, { write: (line: string) => void entries.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, entries };
}

describe('the token secret', () => {
  let redis: LocalRedis;
  let redisDir: string;
  let dataDir: string;
  beforeAll(async () => {
    redisDir = mkdtempSync(path.join(tmpdir(), 'hostile-auth-redis-'));
    dataDir = mkdtempSync(path.join(tmpdir(), 'hostile-auth-data-'));
    redis = await startLocalRedis({ dataDir: redisDir, logger: createLogger({ level: 'warn' }) });
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(redisDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('outside production is this machine’s own random one, kept with mode 0600 across restarts; no secret from the repository signs an accepted token', async () => {
    // NODE_ENV=test and no JWT_SECRET: what `node dist/main.js serve` without NODE_ENV also gets.
    const env = { LOCAL_DATA_DIR: dataDir };
    const first = await startTestApp({ env, redis });
    let user: SignedIn;
    try {
      user = await signUp(first, 'secretive');
      expect((await first.gql(ME, {}, user.token)).data?.me).toMatchObject({ id: user.id });
      for (const secret of [FORMER_DEVELOPMENT_SECRET, 'p'.repeat(40), 'x'.repeat(32)]) {
        const forged = await first.gql(ME, {}, await mint(secret, user.id));
        expect(forged.data?.me ?? null, secret).toBeNull();
        expect(codeOf(forged)).toBe('UNAUTHENTICATED');
      }
    } finally {
      await first.stop();
    }
    const file = path.join(dataDir, 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);

    // Restarted: the same secret, so the token from before still works.
    const second = await startTestApp({ env, redis });
    try {
      expect((await second.gql(ME, {}, user.token)).data?.me).toMatchObject({ id: user.id });
    } finally {
      await second.stop();
    }
  });
});

describe('hostile authentication and records (production mode)', () => {
  const secret = randomBytes(32).toString('hex');
  const log = capturingLogger();
  let t: TestApp;
  let probe: Redis;
  let author: SignedIn;
  let reader: SignedIn;
  let stranger: SignedIn;
  let realTweet: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { NODE_ENV: 'production', JWT_SECRET: secret }, logger: log.logger });
    probe = new Redis(t.redis.url);
    author = await signUp(t, 'author');
    reader = await signUp(t, 'reader');
    stranger = await signUp(t, 'stranger');
    await follow(t, reader, author.handle);
    realTweet = await postTweet(t, author, 'a real tweet by a real author');
    await eventually(() => homeTimeline(t, reader), (p) => p.edges.some((e) => e.node.id === realTweet), { what: 'the real tweet fanned out' });
  });
  afterAll(async () => {
    probe?.disconnect();
    await t?.stop();
  });

  describe('a token whose subject is no stored user', () => {
    const ghostId = '987654321098765432';
    it('is refused like a forged one, and can post, follow or click nothing', async () => {
      const ghost = await mint(secret, ghostId);
      const before = await sideEffects(t);
      const me = await t.gql(ME, {}, ghost);
      expect(codeOf(me)).toBe('UNAUTHENTICATED');
      expect(me.errors?.[0]?.message).toMatch(/no stored user/);
      for (const mutation of [
        'mutation { postTweet(text: "boo") { id } }',
        `mutation { follow(handle: "${author.handle}") { id } }`,
        `mutation { recordClick(tweetId: "${realTweet}") }`,
      ]) {
        expect(codeOf(await t.gql(mutation, {}, ghost)), mutation).toBe('UNAUTHENTICATED');
      }
      expect(await sideEffects(t)).toEqual(before);
    });

    it('cannot open a websocket either (4403)', async () => {
      const socket = new WebSocket(t.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await mint(secret, ghostId)}` } }));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      expect(await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000))])).toBe(4403);
      socket.terminate();
    });
  });

  it('a tweet whose author is missing, in the popular set, a tag and a home timeline, costs only its own edge: every other page answers, the skip is logged with ids and counted', async () => {
    // State a ghost could leave behind before tokens were checked (or a lost user record): a
    // stored tweet by nobody, popular, tagged, and in the reader's home timeline.
    const ghostTweet = '7000000000000000001';
    const ghostAuthor = '123456789012345678';
    await probe.set(keys.tweet(ghostTweet), JSON.stringify({ id: ghostTweet, authorId: ghostAuthor, text: 'from nobody', createdAt: new Date().toISOString() }));
    await probe.set(keys.tweetTags(ghostTweet), JSON.stringify({ tags: ['sports'], taggedAt: new Date().toISOString() }));
    await probe.zadd(keys.popular(), 1e6, ghostTweet);
    await probe.zadd(keys.tagIndex('sports'), Date.now(), ghostTweet);
    await probe.zadd(keys.homeTimeline(reader.id), Date.now() + 1000, ghostTweet);
    // And a record that does not parse at all, also in the reader's timeline.
    const corruptTweet = '7000000000000000002';
    await probe.set(keys.tweet(corruptTweet), '{"id": "7000000000000000002", "authorId": ');
    await probe.zadd(keys.homeTimeline(reader.id), Date.now() + 2000, corruptTweet);

    const edges = `edges { node { id text author { handle } } }`;
    for (const viewer of [reader, stranger, author]) {
      const forYou = await t.gql<{ forYou: { edges: { node: { id: string } }[] } }>(`query ForYou { forYou(first: 50) { ${edges} } }`, {}, viewer.token);
      expect(forYou.errors, `forYou of ${viewer.handle}`).toBeUndefined();
      expect(forYou.data!.forYou.edges.map((e) => e.node.id)).not.toContain(ghostTweet);
    }
    const home = await t.gql<{ homeTimeline: { edges: { node: { id: string } }[] } }>(`query Home { homeTimeline(first: 50) { ${edges} } }`, {}, reader.token);
    expect(home.errors).toBeUndefined();
    expect(home.data!.homeTimeline.edges.map((e) => e.node.id)).toEqual([realTweet]);
    const single = await t.gql(`query One($id: ID!) { tweet(id: $id) { id author { handle } } }`, { id: ghostTweet });
    expect(single).toMatchObject({ data: { tweet: null } });
    expect(single.errors).toBeUndefined();

    const skipped = (await t.app.metrics.integrity.skipped.get()).values;
    const count = (reason: string) => skipped.filter((v) => v.labels.reason === reason).reduce((n, v) => n + v.value, 0);
    expect(count('missing_author')).toBeGreaterThanOrEqual(5);
    expect(count('corrupt')).toBeGreaterThanOrEqual(1);
    const warned = log.entries.filter((e) => e.msg === 'left a missing or corrupt record out of a read');
    expect(warned).toContainEqual(expect.objectContaining({ record: 'tweet', id: ghostTweet, reason: 'missing_author', authorId: ghostAuthor }));
    expect(warned).toContainEqual(expect.objectContaining({ record: 'tweet', id: corruptTweet, reason: 'corrupt' }));
    // Logged once a minute per record, not once per page that met it.
    expect(warned.filter((e) => e.id === ghostTweet).length).toBe(1);
  });

  describe('a websocket whose token expires', () => {
    it('is closed with 4403 when it expires, while idle on a subscription', async () => {
      const token = await mint(secret, reader.id, Math.floor(Date.now() / 1000) + 2);
      const live = subscribe(t.url, 'subscription { homeTimeline { cursor node { id } } }', { token });
      const outcome = await Promise.race([live.closed, new Promise<string>((resolve) => setTimeout(() => resolve('still open 8 s later'), 8_000))]);
      expect(outcome).toBe(4403);
    });

    it('stays open with a token that expires much later (beyond a timer’s 24.8-day range)', async () => {
      const token = await mint(secret, reader.id, Math.floor(Date.now() / 1000) + 60 * 24 * 3600);
      const live = subscribe(t.url, 'subscription { homeTimeline { cursor node { id } } }', { token });
      try {
        await subscriptionsActive(t.app);
        const outcome = await Promise.race([live.closed, new Promise<string>((resolve) => setTimeout(() => resolve('open'), 1_500))]);
        expect(outcome).toBe('open');
      } finally {
        await live.dispose();
      }
    });
  });

  describe('unexpected errors', () => {
    /** One query over graphql-ws, its single result or error. */
    async function overWebsocket(query: string, token: string): Promise<FormattedExecutionResult<Record<string, unknown>, unknown> | { errors: readonly unknown[] }> {
      const client: Client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
      try {
        return await new Promise((resolve, reject) => {
          let result: FormattedExecutionResult<Record<string, unknown>, unknown> | undefined;
          client.subscribe({ query }, { next: (r) => void (result = r), error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)), complete: () => resolve(result!) });
        });
      } finally {
        await client.dispose();
      }
    }

    it('are logged with stack, operation name and request id, and hidden alike over HTTP and websockets; domain and validation errors keep their code', async () => {
      // Someone's home timeline key of the wrong type: reading it fails inside Redis (WRONGTYPE).
      const victim = await signUp(t, 'victim');
      await probe.del(keys.homeTimeline(victim.id));
      await probe.set(keys.homeTimeline(victim.id), 'not a sorted set');
      const query = 'query VictimTimeline { homeTimeline { edges { node { id } } } }';

      const http = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${victim.token}` }, body: JSON.stringify({ query }) });
      const httpBody = (await http.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      const httpRequestId = http.headers.get('x-request-id');
      expect(httpRequestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(httpBody.errors).toEqual([{ message: 'Internal server error', path: ['homeTimeline'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: httpRequestId } }]);

      const ws = (await overWebsocket(query, victim.token)) as FormattedExecutionResult;
      expect(ws.errors).toHaveLength(1);
      const wsError = ws.errors![0]!;
      expect(wsError).toEqual({ message: 'Internal server error', path: ['homeTimeline'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
      expect(JSON.stringify(ws)).not.toMatch(/WRONGTYPE|stack/);

      const logged = log.entries.filter((e) => e.msg === 'unexpected error in GraphQL operation');
      for (const [transport, requestId] of [['http', httpRequestId], ['websocket', wsError.extensions!.requestId]] as const) {
        const entry = logged.find((e) => e.requestId === requestId);
        expect(entry, transport).toMatchObject({ level: 50, operation: 'VictimTimeline', transport, viewerId: victim.id });
        expect((entry!.err as { stack: string }).stack).toMatch(/WRONGTYPE[\s\S]*\n\s+at /);
      }

      // Expected outcomes keep their code and message on both transports, and are not logged as errors.
      const bad = 'query BadId { tweet(id: "not-an-id") { id } }';
      const httpBad = await t.gql(bad, {}, victim.token);
      const wsBad = (await overWebsocket(bad, victim.token)) as FormattedExecutionResult;
      expect(httpBad.errors?.[0]).toMatchObject({ message: 'id is not a valid id', extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
      expect(wsBad.errors?.[0]).toMatchObject({ message: 'id is not a valid id', extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
      const invalid = '{ nope }';
      expect((await t.gql(invalid, {}, victim.token)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const wsInvalid = (await overWebsocket(invalid, victim.token)) as { errors: { extensions?: { code?: string } }[] };
      expect(wsInvalid.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(log.entries.filter((e) => e.msg === 'unexpected error in GraphQL operation')).toHaveLength(2);
    });
  });

  describe('tweet text', () => {
    const post = (text: string) => t.gql<{ postTweet: { id: string; text: string } }>('mutation Post($t: String!) { postTweet(text: $t) { id text } }', { t: text }, author.token);

    it('that shows nothing, or is not Unicode, is refused with BAD_USER_INPUT and nothing is produced', async () => {
      const before = await sideEffects(t);
      for (const text of ['\u200B\u200B\u200B', '\u001B[31m\u001B[0m', '\u202E\u2066 \u2069', '\u0000\u0007\u0008', ' \u3164 \u2800 ', '\uD83D']) {
        const res = await post(text);
        expect(res.data ?? null, JSON.stringify(text)).toBeNull();
        expect(res.errors?.[0]?.extensions, JSON.stringify(text)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
      }
      expect(await sideEffects(t)).toEqual(before);
    });

    it('is stored without escapes, controls and bidi overrides, and counted as people see it', async () => {
      const res = await post('\u001B[1;31mbig\u001B[0m news\u0007 \u202Etxt.exe');
      expect(res.data?.postTweet.text).toBe('big news txt.exe');
      const id = res.data!.postTweet.id;
      await eventually(() => t.gql<{ tweet: { text: string } | null }>('query($id: ID!) { tweet(id: $id) { text } }', { id }, author.token), (r) => r.data?.tweet?.text === 'big news txt.exe', { what: 'the stored tweet' });
      const family = '👨‍👩‍👧‍👦';
      expect((await post(family.repeat(41))).data?.postTweet.text).toBe(family.repeat(41));
      expect((await post(family.repeat(280))).errors).toBeUndefined();
      const tooLong = await post(family.repeat(281));
      expect(tooLong.errors?.[0]).toMatchObject({ message: 'tweet text must be at most 280 characters as people see them (got 281)', extensions: { code: 'BAD_USER_INPUT' } });
    });
  });
});

describe('sign-in and sign-up budgets by client address', () => {
  let t: TestApp;
  const LOG_IN = 'mutation LogIn($h: String!, $p: String!) { logIn(handle: $h, password: $p) { token } }';
  const SIGN_UP = 'mutation SignUp($h: String!, $p: String!) { signUp(handle: $h, password: $p) { token } }';
  const PASSWORD = 'correct horse battery';
  beforeAll(async () => {
    t = await startTestApp({
      env: { AUTH_RATE_LIMIT: '3', AUTH_HANDLE_FAILURE_LIMIT: '6', SIGNUP_RATE_LIMIT: '2', PASSWORD_HASH_CONCURRENCY: '1' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const logIn = (from: string, handle: string, password: string, headers?: Record<string, string>) => gqlFrom(t.url, from, LOG_IN, { h: handle, p: password }, { headers });

  it('an attacker guessing from one address is slowed and cannot lock the owner out; many addresses cannot lock out the owner’s known address', async () => {
    expect((await gqlFrom(t.url, '127.0.0.2', SIGN_UP, { h: 'owner1', p: PASSWORD })).errors).toBeUndefined();
    // The owner signs in from home once: that address is now known for the handle.
    expect((await logIn('127.0.0.4', 'owner1', PASSWORD)).errors).toBeUndefined();

    // One attacker address: three guesses, then refused, whatever X-Forwarded-For it claims.
    for (let i = 0; i < 3; i++) expect(codeOf(await logIn('127.0.0.3', 'owner1', `guess ${i} wrong`))).toBe('UNAUTHENTICATED');
    const limited = await logIn('127.0.0.3', 'owner1', 'guess 4 wrong', { 'x-forwarded-for': '203.0.113.7' });
    expect(limited.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } });
    expect(limited.errors?.[0]?.message).toMatch(/too many sign-in attempts from this address/);
    // The owner, from elsewhere, is not affected.
    expect((await logIn('127.0.0.5', 'owner1', PASSWORD)).data?.logIn).toBeDefined();

    // Many addresses guessing the one handle spend its failure budget (6): then the handle is refused
    // from new addresses, even with the right password, but not from the owner's known ones.
    for (let i = 0; i < 3; i++) expect(codeOf(await logIn(`127.0.1.${i + 1}`, 'owner1', 'distributed guess'))).toBe('UNAUTHENTICATED');
    const fromNew = await logIn('127.0.2.1', 'owner1', PASSWORD);
    expect(codeOf(fromNew)).toBe('RATE_LIMITED');
    expect(fromNew.errors?.[0]?.message).toMatch(/too many failed sign-ins for this handle/);
    expect((await logIn('127.0.0.4', 'owner1', PASSWORD)).data?.logIn).toBeDefined();
    expect((await logIn('127.0.0.5', 'owner1', PASSWORD)).data?.logIn).toBeDefined();
  });

  it('limits sign-ups per client address, not for everyone', async () => {
    expect((await gqlFrom(t.url, '127.0.3.1', SIGN_UP, { h: 'flood1', p: PASSWORD })).errors).toBeUndefined();
    expect((await gqlFrom(t.url, '127.0.3.1', SIGN_UP, { h: 'flood2', p: PASSWORD })).errors).toBeUndefined();
    const before = await sideEffects(t);
    const third = await gqlFrom(t.url, '127.0.3.1', SIGN_UP, { h: 'flood3', p: PASSWORD });
    expect(third.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(third.errors?.[0]?.message).toMatch(/too many sign-ups from this address/);
    expect(await sideEffects(t)).toEqual(before);
    expect((await gqlFrom(t.url, '127.0.3.2', SIGN_UP, { h: 'flood3', p: PASSWORD })).errors).toBeUndefined();
  });

  it('keeps logins and taken-handle refusals ahead of a flood of sign-ups (scrypt bounded, logins first, handle checked before hashing)', async () => {
    expect((await gqlFrom(t.url, '127.0.4.1', SIGN_UP, { h: 'regular', p: PASSWORD })).errors).toBeUndefined();
    const finished: string[] = [];
    const flood = Array.from({ length: 30 }, (_, i) =>
      gqlFrom(t.url, `127.0.5.${i + 1}`, SIGN_UP, { h: `rush${i}`, p: PASSWORD }).then((r) => {
        expect(r.errors, `rush${i}`).toBeUndefined();
        finished.push(`rush${i}`);
      }),
    );
    // Let the flood reach the password queue first: at least 10 sign-ups waiting behind the hash slot.
    const waitingSignUps = async () => (await t.app.metrics.auth.passwordHashWaiting.get()).values.find((v) => v.labels.priority === 'low')?.value ?? 0;
    await eventually(waitingSignUps, (n) => n >= 10, { intervalMs: 2, what: 'sign-ups queued for a password hash' });
    const login = logIn('127.0.4.1', 'regular', PASSWORD).then((r) => {
      expect(r.errors).toBeUndefined();
      finished.push('login');
    });
    const taken = gqlFrom(t.url, '127.0.4.2', SIGN_UP, { h: 'Regular', p: PASSWORD }).then((r) => {
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'handle' } });
      finished.push('taken');
    });
    await Promise.all([...flood, login, taken]);
    // With PASSWORD_HASH_CONCURRENCY=1 the login waits for at most the hash running when it came.
    expect(finished.indexOf('login'), finished.join(' ')).toBeLessThan(10);
    expect(finished.indexOf('taken'), finished.join(' ')).toBeLessThan(10);
  });

  it('counts by X-Forwarded-For only behind trusted proxies (TRUST_PROXY_HOPS)', async () => {
    const proxied = await startTestApp({ env: { AUTH_RATE_LIMIT: '1', TRUST_PROXY_HOPS: '1' } });
    try {
      const via = (client: string) => gqlFrom(proxied.url, '127.0.0.9', LOG_IN, { h: 'nobody', p: 'wrong password' }, { headers: { 'x-forwarded-for': `6.6.6.6, ${client}` } });
      expect(codeOf(await via('198.51.100.1'))).toBe('UNAUTHENTICATED');
      expect(codeOf(await via('198.51.100.1'))).toBe('RATE_LIMITED');
      // Another client behind the same proxy has its own budget; the forged first entry counts for nothing.
      expect(codeOf(await via('198.51.100.2'))).toBe('UNAUTHENTICATED');
    } finally {
      await proxied.stop();
    }
  });
});
