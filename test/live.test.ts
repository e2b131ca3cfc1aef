import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePublisher } from '../src/adapters/redis/live-publisher.js';
import { CLOSE_SLOW_CLIENT } from '../src/graphql/ws-server.js';
import { startFakeOpenAI, type FakeOpenAI } from './harness/fake-openai.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp } from './harness/users.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';

const HOME = 'subscription { homeTimeline { cursor node { id text author { handle } } } }';
type HomeEvent = { homeTimeline: { node: { id: string; text: string; author: { handle: string } } } };
const ids = (results: { data?: Record<string, unknown> | null }[]) =>
  results.map((r) => (r.data as HomeEvent).homeTimeline.node.id);

describe('live home timelines over graphql-ws', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI(() => ['gamers']);
    t = await startTestApp({
      env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.baseURL, WS_MAX_BUFFERED_BYTES: '65536', WS_MAX_PAYLOAD_BYTES: '4096' },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  it('refuses connections without a valid token with 4403', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const live = subscribe(t.url, HOME, { token });
      expect(await live.closed).toBe(4403);
    }
  });

  it('pushes each new entry once, in order per author, and nothing from people not followed', async () => {
    const reader = await signUp(t, 'reader');
    const [a, b, stranger] = [await signUp(t, 'a'), await signUp(t, 'b'), await signUp(t, 'stranger')];
    await follow(t, reader, a.handle);
    await follow(t, reader, b.handle);
    const live = subscribe(t.url, HOME, { token: reader.token });
    await subscriptionsActive(t.app);

    const posted: Record<string, string[]> = { a: [], b: [], own: [] };
    await postTweet(t, stranger, 'nobody follows me');
    for (let i = 0; i < 5; i++) {
      posted.a!.push(await postTweet(t, a, `a ${i}`));
      posted.b!.push(await postTweet(t, b, `b ${i}`));
    }
    posted.own!.push(await postTweet(t, reader, 'my own'));

    await eventually(
      async () => live.results.length,
      (n) => n >= 11,
      { what: '11 pushes' },
    );
    // A redelivery must not reach the client twice: push one entry again by hand.
    const redis = new Redis(t.redis.url);
    const tweet = { id: posted.a![0]!, authorId: a.id, text: 'a 0', createdAt: new Date().toISOString() };
    await createLivePublisher(redis).pushHomeEntry([reader.id], { tweet, producedAt: Date.now() });
    await postTweet(t, reader, 'marker');
    await eventually(
      async () => live.results.length,
      (n) => n >= 12,
      { what: 'marker' },
    );
    redis.disconnect();

    const got = ids(live.results);
    expect(got).toHaveLength(12);
    expect(new Set(got).size).toBe(12);
    expect(got.filter((id) => posted.a!.includes(id))).toEqual(posted.a);
    expect(got.filter((id) => posted.b!.includes(id))).toEqual(posted.b);
    expect(got).toContain(posted.own![0]);
    expect(live.results.every((r) => !r.errors)).toBe(true);
    await live.dispose();
  });

  it('tells watchers of a tweet when its tags and verdict arrive', async () => {
    const user = await signUp(t, 'watcher');
    const id = await postTweet(t, user, 'speedrun tonight [slow]');
    const live = subscribe(t.url, 'subscription($id: ID!) { tweetUpdated(id: $id) { id tags moderation { flagged } } }', {
      token: user.token,
      variables: { id },
    });
    const results = await eventually(
      async () => live.results.map((r) => (r.data as { tweetUpdated: { tags: string[] } }).tweetUpdated),
      (updates) => updates.some((u) => u.tags.length > 0),
      { what: 'tags update' },
    );
    expect(results.find((u) => u.tags.length > 0)!.tags).toEqual(['gamers']);
    await live.dispose();
  });

  it('applies depth limits to subscriptions too', async () => {
    const user = await signUp(t, 'deep');
    const socket = await rawConnection(t.url, user.token);
    const deep =
      'subscription { homeTimeline { node { author { followers { edges { node { followers { edges { node { tweets { edges { node { author { handle } } } } } } } } } } } } } }';
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: deep } }));
    const reply = await nextMessage(socket);
    expect(reply.type).toBe('error');
    expect(JSON.stringify(reply.payload)).toMatch(/depth/i);
    socket.close();
  });

  it('closes connections whose frames exceed the limit with 1009', async () => {
    const user = await signUp(t, 'bigframe');
    const socket = new WebSocket(t.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${user.token}`, padding: 'x'.repeat(10_000) },
      }),
    );
    const code = await new Promise<number>((resolve) => socket.once('close', resolve));
    expect(code).toBe(1009);
  });

  it('drops a client that stops reading, with the slow-client close code', async () => {
    const user = await signUp(t, 'slowpoke');
    const socket = await rawConnection(t.url, user.token);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: HOME } }));
    await subscriptionsActive(t.app);
    const dropped = async () => (await t.app.metrics.live.droppedClients.get()).values[0]?.value ?? 0;
    const droppedBefore = await dropped();
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));

    // Stop reading, then push far more than the kernel buffers and the 64 KiB limit hold.
    socket.pause();
    const redis = new Redis(t.redis.url);
    const publisher = createLivePublisher(redis);
    const text = 'x'.repeat(280);
    const pushes: Promise<number>[] = [];
    for (let i = 0; i < 20_000; i++) {
      const id = String(400000000000000000n + BigInt(i));
      pushes.push(
        publisher.pushHomeEntry([user.id], {
          tweet: { id, authorId: user.id, text, createdAt: new Date().toISOString() },
          producedAt: Date.now(),
        }),
      );
    }
    await Promise.all(pushes);
    await eventually(dropped, (v) => v > droppedBefore, { what: 'slow client dropped', timeoutMs: 30_000 });
    socket.resume();
    expect(await closed).toBe(CLOSE_SLOW_CLIENT);
    redis.disconnect();
  });

  it('closes clients cleanly (1001) when the server stops', async () => {
    const other = await startTestApp();
    const user = await signUp(other, 'leaver');
    const live = subscribe(other.url, HOME, { token: user.token });
    await subscriptionsActive(other.app);
    await other.stop();
    expect(await live.closed).toBe(1001);
  });
});

/** A graphql-transport-ws connection by hand, acknowledged, for tests that need the raw socket. */
async function rawConnection(httpUrl: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  const ack = await nextMessage(socket);
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  return socket;
}

function nextMessage(socket: WebSocket): Promise<{ type: string; payload?: unknown }> {
  return new Promise((resolve) =>
    socket.once('message', (data) => resolve(JSON.parse(String(data)) as { type: string; payload?: unknown })),
  );
}
