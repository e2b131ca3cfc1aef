import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaAdmin, type KafkaAdmin } from '../src/adapters/kafka/admin.js';
import { topicNaming } from '../src/adapters/kafka/topics.js';
import { globMatcher } from '../src/adapters/redis/keyspace.js';
import { keyFamilies, keys } from '../src/adapters/redis/keys.js';
import { CONSUMER_GROUPS, GROUP_BINDINGS } from '../src/consumers/index.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { measureLag } from '../src/adapters/kafka/lag.js';
import { createLogger } from '../src/observability/logger.js';
import { eventually } from './harness/poll.js';
import { runService } from './harness/processes.js';
import { likeTweet, notInterested, recordClick, removeTasteTag, setInterests, tagsOf, taste, unlikeTweet } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { relate } from './harness/social.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn } from './harness/users.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
/** Authors with two followers are celebrities here, so the hybrid fan-out's state is rebuilt too. */
const HYBRID = { FANOUT_CELEBRITY_THRESHOLD: '2' };
const PASSWORD = 'correct horse battery';
const ours = globMatcher(Object.values(keyFamilies).map((f) => f.pattern));
const dropped = globMatcher(Object.values(keyFamilies).filter((f) => f.fate === 'dropped').map((f) => f.pattern));

/**
 * Every durable key with its value (strings, hashes) or members and scores (sorted sets). Keys a rebuild
 * drops (keys.ts: rate limits, tag cache, heartbeats, fan-out checkpoints, forYou snapshots) are
 * left out. The popular set's scores are scaled to an anchor set by whichever click was learned
 * first, which a replay may take in another order across partitions, so they are compared as
 * weights at one reference time instead.
 */
async function durableState(url: string, popularHalfLifeMs: number, referenceMs: number): Promise<Record<string, unknown>> {
  const redis = new Redis(url);
  try {
    const state: Record<string, unknown> = {};
    for await (const batch of redis.scanStream({ count: 1000 }) as AsyncIterable<string[]>) {
      for (const key of batch) {
        if (!ours(key) || dropped(key)) continue;
        const type = await redis.type(key);
        if (type === 'string') state[key] = await redis.get(key);
        else if (type === 'zset') {
          const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
          // Taste weights are sums of floats: a replay may learn a like the live group found already
          // taken back (and then unlearn it), which leaves the same weights up to rounding.
          state[key] = key.startsWith('taste:') ? flat.map((v, i) => (i % 2 ? Number(v).toPrecision(12) : v)) : flat;
        }
        else if (type === 'set') state[key] = (await redis.smembers(key)).sort();
        else if (type === 'hash') state[key] = await redis.hgetall(key);
        else state[key] = `unexpected ${type}`;
      }
    }
    const popular = state[keys.popular()] as string[] | undefined;
    const anchor = Number(state[keys.popularAnchor()]);
    if (popular) {
      const weights: Record<string, string> = {};
      for (let i = 0; i < popular.length; i += 2) {
        weights[popular[i]!] = (Number(popular[i + 1]) * 2 ** ((anchor - referenceMs) / popularHalfLifeMs)).toPrecision(12);
      }
      state[keys.popular()] = weights;
      delete state[keys.popularAnchor()];
    }
    return state;
  } finally {
    redis.disconnect();
  }
}

/** A user's notification groups, newest first, as `KIND actorCount`. */
async function notificationKinds(t: TestApp, user: SignedIn): Promise<string[]> {
  const res = await t.gql<{ notifications: { edges: { node: { kind: string; actorCount: number } }[] } }>(
    '{ notifications { edges { node { kind actorCount } } } }',
    {},
    user.token,
  );
  if (!res.data) throw new Error(`notifications failed: ${JSON.stringify(res.errors)}`);
  return res.data.notifications.edges.map((e) => `${e.node.kind} ${e.node.actorCount}`);
}

async function processed(t: TestApp): Promise<Record<string, number>> {
  const values = (await t.app.metrics.consumers.processed.get()).values;
  return Object.fromEntries(CONSUMER_GROUPS.map((g) => [g, values.find((v) => v.labels.group === g)?.value ?? 0]));
}

/**
 * Kafka is the source of truth: `node dist/main.js rebuild` empties Redis and replays the topics,
 * and the state comes back equal. Runs the built CLI (npm test builds first).
 */
describe('rebuild: Redis state replayed from Kafka', () => {
  let redis: LocalRedis;
  let dataDir: string;
  let api: TestApp;
  let consumers: TestApp | undefined;
  let admin: KafkaAdmin;
  let direct: Redis;
  let env: Record<string, string>;
  let alice: SignedIn, bob: SignedIn, carol: SignedIn, dave: SignedIn, erin: SignedIn;
  const referenceMs = Date.now();
  const settled = async () =>
    eventually(
      async () => (await measureLag(admin, topicNaming(api.config.kafka.namespace), GROUP_BINDINGS)).reduce((sum, r) => sum + r.lag, 0),
      (lag) => lag === 0,
      { what: 'every consumer group caught up', timeoutMs: 60_000, intervalMs: 250 },
    );
  const snapshot = () => durableState(redis.url, api.config.taste.popularHalfLifeSeconds * 1000, referenceMs);

  beforeAll(async () => {
    const main = path.join(ROOT_DIR, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'test-redis-'));
    redis = await startLocalRedis({ dataDir, logger: createLogger({ level: 'warn' }) });
    api = await startTestApp({ redis, roles: { api: true, consumers: [] }, env: HYBRID });
    consumers = await startTestApp({ sameDeploymentAs: api, roles: { api: false, consumers: CONSUMER_GROUPS }, env: HYBRID });
    admin = createKafkaAdmin(api.app.kafka);
    await admin.connect();
    direct = new Redis(redis.url);
    env = {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_URL: redis.url,
      KAFKA_NAMESPACE: api.config.kafka.namespace,
      KAFKA_PARTITIONS: String(api.config.kafka.partitions),
      LOG_LEVEL: 'info',
      ...HYBRID,
    };
  });
  afterAll(async () => {
    await admin?.disconnect();
    direct?.disconnect();
    await consumers?.stop();
    await api?.stop();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds up state through the API and the consumer groups', async () => {
    [alice, bob, carol, dave, erin] = [
      await signUp(api, 'alice'),
      await signUp(api, 'bob'),
      await signUp(api, 'carol'),
      await signUp(api, 'dave'),
      await signUp(api, 'erin'),
    ];
    await follow(api, bob, alice.handle);
    await follow(api, carol, alice.handle);
    await follow(api, carol, bob.handle);
    await follow(api, dave, alice.handle);
    await follow(api, alice, bob.handle);
    // Alice and Bob end with two followers each (celebrities); Erin with one (fanned out).
    await follow(api, dave, erin.handle);
    const unfollowed = await api.gql('mutation($h: String!) { unfollow(handle: $h) { id } }', { h: alice.handle }, dave.token);
    expect(unfollowed.errors).toBeUndefined();
    // Mutes and blocks, as the API writes them; the muted author's later tweet skips the muter.
    await relate(api, carol, 'mute', erin.handle);
    await relate(api, erin, 'block', bob.handle);

    const football = await postTweet(api, alice, 'What a goal in the football match tonight, the team played so well');
    const album = await postTweet(api, alice, 'The new album from my favourite band is out, listening to the songs all day');
    // Bob mentions Carol: a notification of hers to rebuild.
    const pasta = await postTweet(api, bob, `Trying a new pasta recipe tonight with @${carol.handle}, cooking with fresh basil`);
    const spam = await postTweet(api, bob, 'Free crypto giveaway, buy followers now and click here to win');
    const cupFinal = await postTweet(api, erin, 'What a goal in the football match, the best team won the cup');
    // A reply, listed under the tweet it answers (once that tweet is stored).
    await eventually(() => api.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id: football }), (r) => r.data?.tweet?.id === football, {
      what: 'the football tweet stored',
    });
    const replied = await api.gql<{ postTweet: { id: string } }>('mutation($t: String!, $r: ID) { postTweet(text: $t, replyTo: $r) { id } }', {
      t: 'That second goal in the match was the best of the season',
      r: football,
    }, carol.token);
    expect(replied.errors).toBeUndefined();
    const doomed = await postTweet(api, alice, 'Hiking in the mountains this weekend, the trail views were amazing');
    // Tagged and checked first, so the delete also has tags, index entries and a verdict to take back.
    await eventually(() => tagsOf(api, doomed), (tags) => tags.length > 0, { what: 'tags of the tweet to delete' });
    const deleted = await api.gql('mutation($id: ID!) { deleteTweet(id: $id) }', { id: doomed }, alice.token);
    expect(deleted.errors).toBeUndefined();
    for (const id of [football, album, pasta, cupFinal]) await eventually(() => tagsOf(api, id), (tags) => tags.length > 0, { what: `tags of ${id}` });

    await recordClick(api, bob, football);
    await recordClick(api, carol, football);
    await recordClick(api, carol, album);
    await recordClick(api, carol, pasta);
    await recordClick(api, dave, pasta);
    // Every other signal: likes (one taken back), a "not interested", a removed tag, chosen interests.
    await likeTweet(api, bob, football);
    await likeTweet(api, dave, album);
    await likeTweet(api, carol, pasta);
    await unlikeTweet(api, carol, pasta);
    await notInterested(api, carol, cupFinal);
    await removeTasteTag(api, carol, (await tagsOf(api, album))[0]!);
    await setInterests(api, erin, ['foodies', 'wanderlust']);
    // Reposts: Erin's reaches Dave (who no longer follows Alice); Dave's own is taken back; Bob is a
    // celebrity, whose reposts are not fanned out.
    const reposted = async (user: SignedIn, id: string, mutation: 'repost' | 'unrepost') =>
      expect((await api.gql(`mutation($id: ID!) { ${mutation}(id: $id) { id } }`, { id }, user.token)).errors).toBeUndefined();
    await reposted(erin, football, 'repost');
    await reposted(bob, football, 'repost');
    await reposted(dave, cupFinal, 'repost');
    await reposted(dave, cupFinal, 'unrepost');
    await settled();
    expect((await taste(api, erin)).map((w) => w.tag)).toEqual(['foodies', 'wanderlust']);

    const carolsHome = await homeTimeline(api, carol);
    expect(carolsHome.edges.map((e) => e.node.id)).toEqual([replied.data!.postTweet.id, pasta, album, football]);
    expect(await direct.get(keys.celebrity(alice.id))).not.toBeNull();
    expect(await direct.zrange(keys.homeTimeline(dave.id), 0, -1)).toEqual([cupFinal, football]);
    expect(await direct.zrange(keys.tweetReposters(football), 0, -1)).toEqual([erin.id, bob.id]);
    expect(await direct.exists(keys.tweetReposters(cupFinal))).toBe(0);
    const davesHome = await api.gql<{ homeTimeline: { edges: { node: { id: string }; repostedBy: { handle: string } | null }[] } }>(
      '{ homeTimeline { edges { node { id } repostedBy { handle } } } }',
      {},
      dave.token,
    );
    expect(davesHome.data?.homeTimeline.edges.map((e) => [e.node.id, e.repostedBy?.handle ?? null])).toEqual([
      [football, erin.handle],
      [cupFinal, null],
    ]);
    // Notifications: Alice's follows (Dave's undone, still told), Carol's reply to her, likes and Erin's and Bob's reposts; Carol's like of pasta taken back.
    expect(await notificationKinds(api, alice)).toEqual(['REPOST 2', 'LIKE 1', 'LIKE 1', 'REPLY 1', 'FOLLOW 3']);
    // Dave's repost of Erin's tweet was taken back, and so was its notification.
    expect(await notificationKinds(api, erin)).toEqual(['FOLLOW 1']);
    expect(await notificationKinds(api, bob)).toEqual(['FOLLOW 2']);
    expect(await notificationKinds(api, carol)).toEqual(['MENTION 1']);
    const newest = await api.gql<{ notifications: { edges: { cursor: string }[] } }>('{ notifications(first: 1) { edges { cursor } } }', {}, alice.token);
    const marked = await api.gql('mutation($c: String!) { markNotificationsRead(upTo: $c) }', { c: newest.data!.notifications.edges[0]!.cursor }, alice.token);
    expect(marked.data).toEqual({ markNotificationsRead: 5 });
  });

  it('refuses while consumers run, and changes nothing', async () => {
    const before = await snapshot();
    const cli = runService(['rebuild'], env);
    expect(await cli.exited).toBe(2);
    expect(cli.lines.join('\n')).toMatch(/rebuild refused: consumer groups are running: .*tweet-store \(1 member, Stable\)/);
    expect(await snapshot()).toEqual(before);
  });

  it('empties Redis and replays every topic into an equal state; consumers continue after what was replayed', async () => {
    const before = await snapshot();
    // Every family a replay restores is in the picture, a flagged verdict and a tombstone included.
    const present = await direct.keys('*');
    for (const [family, { pattern, fate }] of Object.entries(keyFamilies)) {
      if (fate === 'replayed') expect(present.some(globMatcher([pattern])), `${family} keys present`).toBe(true);
    }
    expect(Object.entries(before).some(([k, v]) => k.endsWith(':moderation') && String(v).includes('"flagged":true'))).toBe(true);

    await consumers!.stop();
    consumers = undefined;
    // What Kafka does not know must go: a stray timeline, rate-limit counters. Others' keys stay.
    await direct.zadd(keys.homeTimeline('999999'), 1, '123');
    await direct.set('elsewhere:keep-me', 'yes');
    expect((await direct.keys('ratelimit:*')).length).toBeGreaterThan(0);

    const cli = runService(['rebuild'], env);
    const code = await cli.exited;
    expect(code, cli.lines.slice(-20).join('\n')).toBe(0);
    const summary = cli.logged('rebuild finished');
    expect(summary).toMatchObject({
      messages: { users: 5, relations: 2, follows: 7, tweets: 12, 'tweet-tags': 7, 'tweet-moderation': 7, clicks: 12 },
      skipped: { users: 0, relations: 0, follows: 0, tweets: 0, clicks: 0 },
      deferredClicks: 0,
      offsets: { tagger: 'kept', moderator: 'kept', fanout: 'watermark' },
    });
    expect(summary!.keysRemoved).toBeGreaterThan(Object.keys(before).length);
    expect(cli.lines).toContain('clicks: 12/12 (100%)');

    expect(await snapshot()).toEqual(before);
    // Reads are not in Kafka (keys.ts: notificationsRead is dropped): restored notifications are unread again.
    expect(await notificationKinds(api, alice)).toEqual(['REPOST 2', 'LIKE 1', 'LIKE 1', 'REPLY 1', 'FOLLOW 3']);
    expect((await api.gql('{ unreadNotificationCount }', {}, alice.token)).data).toEqual({ unreadNotificationCount: 5 });
    expect(await direct.exists(keys.homeTimeline('999999'))).toBe(0);
    expect(await direct.keys('ratelimit:*')).toEqual([]);
    expect(await direct.get('elsewhere:keep-me')).toBe('yes');

    const logIn = await api.gql<{ logIn: { user: { id: string } } }>(
      'mutation($h: String!, $p: String!) { logIn(handle: $h, password: $p) { user { id } } }',
      { h: carol.handle.toUpperCase(), p: PASSWORD },
    );
    expect(logIn.data?.logIn.user.id).toBe(carol.id);

    // Consumers start again right after the replayed offsets: only new messages are processed.
    consumers = await startTestApp({ sameDeploymentAs: api, roles: { api: false, consumers: CONSUMER_GROUPS }, env: HYBRID });
    const fresh = await postTweet(api, alice, 'Deploying our new javascript framework to production today');
    await eventually(() => homeTimeline(api, carol), (p) => p.edges[0]?.node.id === fresh, { what: 'new tweet in carol’s timeline' });
    await eventually(() => tagsOf(api, fresh), (tags) => tags.length > 0, { what: 'new tweet tagged' });
    await recordClick(api, carol, fresh);
    await settled();
    expect(await processed(consumers)).toEqual({
      'tweet-store': 1,
      fanout: 1,
      'fanout-slices': 0,
      'timeline-merge': 0,
      tagger: 1,
      moderator: 1,
      taste: 1,
      'notifications-follows': 0,
      'notifications-likes': 1,
      'notifications-tweets': 1,
    });
    expect(await direct.zrange(keys.clicked(carol.id), 0, -1)).toContain(fresh);
  });
});
