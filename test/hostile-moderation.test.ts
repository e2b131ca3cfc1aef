import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePublisher } from '../src/adapters/redis/live-publisher.js';
import { startFakeOpenAI, type FakeOpenAI } from './harness/fake-openai.js';
import { eventually } from './harness/poll.js';
import { forYou } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn } from './harness/users.js';
import { subscribe, subscriptionsActive, type LiveClient } from './harness/ws-client.js';

const UPDATES = `subscription { homeTimelineUpdates {
  __typename ... on TweetEdge { cursor node { id } } ... on TimelineEntryRemoved { tweetId reason } } }`;
const HOME = 'subscription { homeTimeline { cursor node { id } } }';
const TWEET = 'query($id: ID!) { tweet(id: $id) { id text } }';

type Update = { __typename: 'TweetEdge'; node: { id: string } } | { __typename: 'TimelineEntryRemoved'; tweetId: string; reason: string };
const updates = (live: LiveClient) => live.results.map((r) => (r.data as { homeTimelineUpdates: Update }).homeTimelineUpdates);
const edgeIds = (live: LiveClient) => live.results.map((r) => (r.data as { homeTimeline: { node: { id: string } } }).homeTimeline.node.id);

/**
 * A flagged tweet is its author's alone, on every path, including live pushes that went out
 * before the verdict existed (fan-out does not wait for moderation): the moderator's verdict is
 * held back by the fake OpenAI server (`[gate]`) until the tweet has reached a follower live.
 */
describe('moderation hides a flagged tweet from everyone but its author, on every path', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let author: SignedIn;
  let follower: SignedIn;
  let stranger: SignedIn;
  let flagged: string;
  let liveUpdates: LiveClient;
  let liveEdges: LiveClient;
  let watcher: LiveClient;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await startTestApp({ env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.baseURL, MODERATION_BACKEND: 'openai', TAGGER_BACKEND: 'lexicon', LLM_TIMEOUT_MS: '60000' } });
    author = await signUp(t, 'flaggee');
    follower = await signUp(t, 'fan');
    stranger = await signUp(t, 'stranger');
    await follow(t, follower, author.handle);
    liveUpdates = subscribe(t.url, UPDATES, { token: follower.token });
    liveEdges = subscribe(t.url, HOME, { token: follower.token });
    await subscriptionsActive(t.app, 2);

    // Pushed live before its verdict: the moderator's request waits at the gate.
    flagged = await postTweet(t, author, 'you people are the worst [gate] [flag]');
    await eventually(async () => edgeIds(liveEdges), (ids) => ids.includes(flagged), { what: 'pushed before the verdict' });
    await eventually(async () => updates(liveUpdates).length, (n) => n === 1, { what: 'pushed before the verdict (updates)' });
    // Someone else watches it, which is allowed while no verdict hides it.
    watcher = subscribe(t.url, 'subscription($id: ID!) { tweetUpdated(id: $id) { id } }', { token: stranger.token, variables: { id: flagged } });
    await subscriptionsActive(t.app, 3);

    fake.release();
    await eventually(() => t.gql<{ tweet: { id: string } | null }>(TWEET, { id: flagged }, author.token), (r) => r.data?.tweet?.id === flagged, { what: 'stored' });
    await eventually(
      () => t.gql<{ tweet: { moderation: { flagged: boolean } | null } | null }>('query($id: ID!) { tweet(id: $id) { moderation { flagged } } }', { id: flagged }, author.token),
      (r) => r.data?.tweet?.moderation?.flagged === true,
      { what: 'flagged' },
    );
  });
  afterAll(async () => {
    await Promise.all([liveUpdates, liveEdges, watcher].map((l) => l?.dispose()));
    await t?.stop();
    await fake?.close();
  });

  it('tells a live subscriber who was sent it before the verdict to drop it (homeTimelineUpdates), once', async () => {
    const seen = await eventually(async () => updates(liveUpdates), (u) => u.length >= 2, { what: 'the removal' });
    expect(seen[0]).toMatchObject({ __typename: 'TweetEdge', node: { id: flagged } });
    expect(seen[1]).toEqual({ __typename: 'TimelineEntryRemoved', tweetId: flagged, reason: 'FLAGGED' });
    // homeTimeline sends edges only: it had the edge, it gets no removal.
    expect(edgeIds(liveEdges)).toEqual([flagged]);
    expect(liveEdges.results.every((r) => !r.errors)).toBe(true);
  });

  it('ends a non-author’s tweetUpdated with NOT_FOUND once the tweet is flagged', async () => {
    const ended = await eventually(async () => watcher.results, (rs) => rs.some((r) => r.errors), { what: 'NOT_FOUND event' });
    expect(ended.at(-1)!.errors![0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(ended.filter((r) => r.errors)).toHaveLength(1);
  });

  it('answers tweet(id) with null to anonymous callers and other users, and with the tweet to its author', async () => {
    expect((await t.gql<{ tweet: unknown }>(TWEET, { id: flagged })).data?.tweet).toBeNull();
    expect((await t.gql<{ tweet: unknown }>(TWEET, { id: flagged }, stranger.token)).data?.tweet).toBeNull();
    expect((await t.gql<{ tweet: unknown }>(TWEET, { id: flagged }, follower.token)).data?.tweet).toBeNull();
    expect((await t.gql<{ tweet: { id: string } }>(TWEET, { id: flagged }, author.token)).data?.tweet?.id).toBe(flagged);
  });

  it('leaves it out of the home timeline, the author timeline and forYou of everyone else', async () => {
    const fine = await postTweet(t, author, 'a perfectly ordinary tweet about gardening');
    await eventually(() => homeTimeline(t, follower), (p) => p.edges.some((e) => e.node.id === fine), { what: 'fan-out' });
    expect((await homeTimeline(t, follower)).edges.map((e) => e.node.id)).toEqual([fine]);
    expect((await homeTimeline(t, author)).edges.map((e) => e.node.id)).toEqual([fine, flagged]);
    const profile = (token?: string) =>
      t.gql<{ user: { tweets: { edges: { node: { id: string } }[] } } }>('query($h: String!) { user(handle: $h) { tweets { edges { node { id } } } } }', { h: author.handle }, token);
    expect((await profile()).data!.user.tweets.edges.map((e) => e.node.id)).toEqual([fine]);
    expect((await profile(stranger.token)).data!.user.tweets.edges.map((e) => e.node.id)).toEqual([fine]);
    expect((await profile(author.token)).data!.user.tweets.edges.map((e) => e.node.id)).toEqual([fine, flagged]);
    expect((await forYou(t, follower, 20)).edges.map((e) => e.node.id)).not.toContain(flagged);
  });

  it('never pushes it once the verdict is stored (a late fan-out, a celebrity push): pushes are checked at delivery', async () => {
    const late = subscribe(t.url, HOME, { token: follower.token });
    const lateUpdates = subscribe(t.url, UPDATES, { token: follower.token });
    const own = subscribe(t.url, HOME, { token: author.token });
    // The two from the start and these three (the watcher has ended).
    await subscriptionsActive(t.app, 5);
    const redis = new Redis(t.redis.url);
    try {
      const tweet = { id: flagged, authorId: author.id, text: 'you people are the worst [gate] [flag]', createdAt: new Date().toISOString() };
      await createLivePublisher(redis).pushHomeEntry([follower.id, author.id], { tweet, producedAt: Date.now() });
    } finally {
      redis.disconnect();
    }
    const marker = await postTweet(t, author, 'marker after the late push');
    await eventually(async () => edgeIds(late), (ids) => ids.includes(marker), { what: 'marker' });
    await eventually(async () => updates(lateUpdates).length, (n) => n >= 1, { what: 'marker (updates)' });
    expect(edgeIds(late)).toEqual([marker]);
    expect(updates(lateUpdates)).toEqual([{ __typename: 'TweetEdge', cursor: expect.any(String) as string, node: { id: marker } }]);
    // Its author still sees it live.
    await eventually(async () => edgeIds(own), (ids) => ids.includes(marker), { what: 'marker (author)' });
    expect(edgeIds(own)).toEqual([flagged, marker]);
    await Promise.all([late, lateUpdates, own].map((l) => l.dispose()));
  });
});
