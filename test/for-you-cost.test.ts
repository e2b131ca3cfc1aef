import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { forYou, recordClick, tagsOf, taste } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp, type SignedIn } from './harness/users.js';

interface ServerCounters {
  commands: number;
  byCommand: Record<string, number>;
  /** Reads of client sockets: one per request batch the server received (a pipeline is one). */
  reads: number;
}

/** One INFO call for both sections, so the probe adds exactly one command and one read per reading. */
async function counters(redis: Redis): Promise<ServerCounters> {
  const info = await redis.info('stats', 'commandstats');
  const byCommand: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) byCommand[match[1]!] = Number(match[2]);
  const reads = Number(/^total_reads_processed:(\d+)/m.exec(info)?.[1]);
  return { commands: Object.values(byCommand).reduce((a, b) => a + b, 0), byCommand, reads };
}

/** Cost of `read` in Redis commands and round trips, net of the probe's own INFO. */
async function cost(probe: Redis, read: () => Promise<unknown>) {
  const before = await counters(probe);
  await read();
  const after = await counters(probe);
  const delta = Object.fromEntries(
    Object.entries(after.byCommand).map(([k, v]) => [k, v - (before.byCommand[k] ?? 0)]).filter(([, v]) => Number(v) > 0),
  );
  return { commands: after.commands - before.commands - 1, roundTrips: after.reads - before.reads - 1, delta: JSON.stringify(delta) };
}

const TOPICS = [
  (i: number) => `The basketball playoffs, game ${i}, at the stadium`,
  (i: number) => `Cooking a curry recipe, batch ${i}`,
  (i: number) => `Repotting pothos number ${i} in the garden`,
];

describe('forYou read cost', () => {
  let t: TestApp;
  let probe: Redis;
  let reader: SignedIn;
  beforeAll(async () => {
    // Five top tags read, as by default; a page size of up to 100.
    // Lexicon tags: this counts Redis commands, and needs every topic's tweets tagged for certain.
    t = await startTestApp({ env: { FORYOU_TOP_TAGS: '5', TAGGER_BACKEND: 'lexicon' } });
    probe = new Redis(t.redis.url);
    reader = await signUp(t, 'reader');
    const authors: SignedIn[] = [];
    // Twelve authors: variety lets one author have 2 of any 10 entries, so the ranking runs past a page.
    for (let i = 0; i < 12; i++) authors.push(await signUp(t, 'author'));
    for (const a of authors.slice(0, 2)) await follow(t, reader, a.handle);
    const ids: string[] = [];
    for (let i = 0; i < 36; i++) ids.push(await postTweet(t, authors[i % 12]!, TOPICS[i % 3]!(i)));
    for (const id of ids) await eventually(() => tagsOf(t, id), (tags) => tags.length > 0, { what: `tweet ${id} tagged` });
    let expected = 0;
    for (const id of ids.slice(0, 4)) {
      await recordClick(t, reader, id);
      expected += (await tagsOf(t, id)).length;
    }
    // Every click learned (each adds one per tag, decay negligible over seconds): consumers are idle now.
    const sum = (tags: { weight: number }[]) => tags.reduce((a, w) => a + w.weight, 0);
    const learned = await eventually(() => taste(t, reader, 50), (tags) => Math.abs(sum(tags) - expected) < 0.01, { what: 'every click learned' });
    expect(learned.length).toBeGreaterThanOrEqual(5);
    // Warm up: the server caches the Lua scripts on first use.
    await forYou(t, reader, 5);
  });
  afterAll(async () => {
    probe?.disconnect();
    await t?.stop();
  });

  it('costs a constant number of Redis round trips and commands per page, whatever its size', async () => {
    const small = await cost(probe, () => forYou(t, reader, 5));
    const large = await cost(probe, () => forYou(t, reader, 30));
    // 1 taste profile + home + popular, 2 the top tags' indexes, 3 tweet MGET + clicked, liked and
    // not-interested ZMSCOREs, 4 following ZMSCORE, 5 the snapshot (one script), 6 authors MGET
    // (tweets come primed, and none of them is liked: liked tweets are left out).
    expect(small.roundTrips, small.delta).toBeLessThanOrEqual(6);
    expect(large.roundTrips, large.delta).toBeLessThanOrEqual(6);
    // Commands grow with the configured top tags (one ZRANGE each), never with page or candidate count:
    // the profile's EVALSHA (+ its GET, 2 ZRANGE, 2 HGETALL), ZRANGE (popular), SMEMBERS (followed
    // celebrities), 5 tag ZRANGE, 2 MGET, 4 ZMSCORE, the snapshot script (EVALSHA RPUSH EXPIRE LPUSH
    // LRANGE LTRIM EXPIRE: it keeps at most FORYOU_SNAPSHOTS_PER_USER, and past that one DEL more);
    // the home candidates are a page read, one more EVALSHA (+ its GET of the reader's last-seen
    // record and its ZRANGE), with the ZUNION of who is hidden from the reader (mutes and blocks) in
    // its round trip.
    expect(large.commands, large.delta).toBe(small.commands);
    expect(large.commands, large.delta).toBeLessThanOrEqual(24 + 5 + 1);
    console.info(`forYou first page: ${large.roundTrips} round trips, ${large.commands} commands`);

    const first = await forYou(t, reader, 10);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await cost(probe, () => forYou(t, reader, 20, first.pageInfo.endCursor!));
    // The snapshot page (LRANGE + LLEN) with the ZUNION of who is hidden, the tweets' MGET with the
    // not-interested ZMSCORE, the authors' MGET.
    expect(next.roundTrips, next.delta).toBeLessThanOrEqual(3);
    expect(next.commands, next.delta).toBeLessThanOrEqual(6);
    console.info(`forYou next page: ${next.roundTrips} round trips, ${next.commands} commands`);
  });
});
