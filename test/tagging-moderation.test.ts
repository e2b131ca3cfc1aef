import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalKafka } from './harness/kafka.js';
import { startFakeOpenAI, type FakeOpenAI } from './harness/fake-openai.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';

type Label = { category: string; severity: string; source: string };
type TweetQuery = {
  tweet: { tags: string[]; taggedAt: string | null; moderation: { flagged: boolean; categories: string[]; labels: Label[] } | null } | null;
};
const TWEET = 'query($id: ID!) { tweet(id: $id) { tags taggedAt moderation { flagged categories labels { category severity source } } } }';

/** Collects every message of a topic from the beginning, in a throwaway consumer group. */
async function collect(t: TestApp, topic: string): Promise<{ messages: Record<string, unknown>[]; consumer: Consumer }> {
  const messages: Record<string, unknown>[] = [];
  const consumer = externalKafka(t.app.kafka.brokers).consumer({ groupId: `probe-${topic}-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(JSON.parse(message.value!.toString()) as Record<string, unknown>) });
  return { messages, consumer };
}

describe('tagging and moderation on the real broker (offline backends)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('tags a posted tweet from the vocabulary, exposes it, and publishes it to tweet-tags', async () => {
    const vocab = await t.gql<{ tagVocabulary: string[] }>('{ tagVocabulary }');
    expect(vocab.data!.tagVocabulary).toHaveLength(50);
    expect(vocab.data!.tagVocabulary).toContain('eco_friendly');

    const reader = await signUp(t, 'reader');
    const id = await postTweet(t, reader, "Just finished a new novel. Can't wait to talk about it with my book club #nerdalert");
    const res = await eventually(() => t.gql<TweetQuery>(TWEET, { id }), (r) => (r.data?.tweet?.tags.length ?? 0) > 0, { what: 'tags' });
    expect(res.data!.tweet!.tags[0]).toBe('bookworms');
    expect(Date.parse(res.data!.tweet!.taggedAt!)).toBeGreaterThan(Date.now() - 120_000);
    expect(res.data!.tweet!.tags.every((tag) => vocab.data!.tagVocabulary.includes(tag))).toBe(true);

    const { messages, consumer } = await collect(t, t.topic('tweet-tags'));
    try {
      const event = await eventually(
        async () => messages.find((m) => (m.data as { tweetId: string }).tweetId === id),
        (m) => m !== undefined,
        { what: 'tweet.tagged on tweet-tags' },
      );
      expect(event).toMatchObject({
        type: 'tweet.tagged',
        data: { tweetId: id, authorId: reader.id, backend: 'offline', tags: res.data!.tweet!.tags, taggedAt: res.data!.tweet!.taggedAt },
      });
    } finally {
      await consumer.disconnect();
    }
  });

  it('tells a tweet about nothing (tagged, no tags) from one not tagged yet', async () => {
    const user = await signUp(t, 'chatter');
    const id = await postTweet(t, user, 'ok see you later then');
    const res = await eventually(() => t.gql<TweetQuery>(TWEET, { id }), (r) => r.data?.tweet?.taggedAt != null, { what: 'taggedAt' });
    expect(res.data!.tweet!.tags).toEqual([]);
  });

  it('labels profanity without hiding the tweet', async () => {
    const user = await signUp(t, 'commuter');
    const follower = await signUp(t, 'commuter_friend');
    await follow(t, follower, user.handle);
    const id = await postTweet(t, user, 'this fucking traffic again, late for work');
    const res = await eventually(() => t.gql<TweetQuery>(TWEET, { id }), (r) => r.data?.tweet?.moderation != null, { what: 'verdict' });
    expect(res.data!.tweet!.moderation!.flagged).toBe(false);
    expect(res.data!.tweet!.moderation!.labels).toContainEqual({ category: 'PROFANITY', severity: 'LOW', source: 'wordlist' });
    expect(res.data!.tweet!.moderation!.categories).toContain('profanity');
    await eventually(() => homeTimeline(t, follower), (p) => p.edges.some((e) => e.node.id === id), { what: 'visible to the follower' });
  });

  it('hides a tweet that breaks the rules from followers but not from its author', async () => {
    const spammer = await signUp(t, 'spammer');
    const follower = await signUp(t, 'follower');
    await follow(t, follower, spammer.handle);
    const fine = await postTweet(t, spammer, 'A perfectly ordinary tweet about gardening');
    const spam = await postTweet(t, spammer, 'BUY FOLLOWERS cheap!!!!!!!!!!!! http://a.example');

    // Read as its author: to anyone else a flagged tweet is null.
    const verdict = await eventually(() => t.gql<TweetQuery>(TWEET, { id: spam }, spammer.token), (r) => r.data?.tweet?.moderation != null, { what: 'verdict' });
    expect(verdict.data!.tweet!.moderation).toMatchObject({ flagged: true, categories: ['spam'], labels: [{ category: 'SPAM', severity: 'HIGH', source: 'pattern:blocklist' }] });
    await eventually(() => t.gql<TweetQuery>(TWEET, { id: fine }), (r) => r.data?.tweet?.moderation?.flagged === false, { what: 'clean verdict' });

    const followerSees = await eventually(() => homeTimeline(t, follower), (p) => p.edges.some((e) => e.node.id === fine), { what: 'fan-out' });
    expect(followerSees.edges.map((e) => e.node.id)).toEqual([fine]);
    const authorSees = await homeTimeline(t, spammer);
    expect(authorSees.edges.map((e) => e.node.id)).toEqual([spam, fine]);

    const profile = await t.gql<{ user: { tweets: { edges: { node: { id: string } }[] } } }>(
      'query($h: String!) { user(handle: $h) { tweets { edges { node { id } } } } }',
      { h: spammer.handle },
      follower.token,
    );
    expect(profile.data!.user.tweets.edges.map((e) => e.node.id)).toEqual([fine]);
  });
});

describe('tagging and moderation through an OpenAI-compatible server', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI((text) => (text.includes('wine') ? ['wine_connoisseurs', 'foodies'] : ['gamers']));
    t = await startTestApp({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL, LLM_TIMEOUT_MS: '2000', LLM_MAX_RETRIES: '1' } });
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  it('stores the LLM’s tags and moderation verdict, calling each once per tweet', async () => {
    const user = await signUp(t, 'sommelier');
    const id = await postTweet(t, user, 'Opened a 2015 Barolo tonight, the wine is singing [flag]');
    const mild = await postTweet(t, user, 'Barolo is for snobs like you [insult]');
    const res = await eventually(
      () => t.gql<TweetQuery>(TWEET, { id }, user.token),
      (r) => (r.data?.tweet?.tags.length ?? 0) > 0 && r.data?.tweet?.moderation != null,
      { what: 'LLM tags and verdict' },
    );
    expect(res.data!.tweet).toMatchObject({
      tags: ['wine_connoisseurs', 'foodies'],
      moderation: {
        flagged: true,
        categories: ['insult', 'threat'],
        labels: [
          { category: 'INSULT', severity: 'HIGH', source: 'openai:harassment' },
          { category: 'THREAT', severity: 'HIGH', source: 'openai:harassment/threatening' },
        ],
      },
    });
    // Harassment alone is an insult label: by the policy it does not hide the tweet.
    const insult = await eventually(() => t.gql<TweetQuery>(TWEET, { id: mild }, user.token), (r) => r.data?.tweet?.moderation != null, { what: 'verdict' });
    expect(insult.data!.tweet!.moderation).toMatchObject({ flagged: false, labels: [{ category: 'INSULT', severity: 'MEDIUM', source: 'openai:harassment' }] });
    expect(fake.count('/chat/completions', 'Barolo')).toBe(2);
    expect(fake.count('/moderations', 'Barolo')).toBe(2);
  });
});
