import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../scripts/population/generate.js';
import { runForYouEval } from '../scripts/eval-foryou/driver.js';
import { fromSynthetic } from '../scripts/population/eval-population.js';
import { startTestApp, type TestApp } from './harness/test-app.js';

/**
 * A smaller run of `npm run eval:foryou` in the suite: a synthetic population through the real
 * broker, consumers and API; forYou must find the users' hidden interests from a few clicks.
 */
describe('forYou on a synthetic population', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Lexicon tags, as in npm run eval:foryou: template tweets are tagged exactly by construction.
    t = await startTestApp({ env: { CLICK_RATE_LIMIT: '1000', TAGGER_BACKEND: 'lexicon' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reaches precision@10 ≥ 0.8 and at least 5× the chronological home timeline after 5 clicks each; better after "not interested"; newcomers who chose interests too', async () => {
    const generated = generatePopulation({
      seed: 11,
      handlePrefix: 'pop',
      users: 40,
      interestsPerUser: 2,
      tweetsPerUser: 6,
      followsPerUser: 8,
      homophily: 0.1,
      offTopicShare: 0.1,
    });
    const population = fromSynthetic(generated, 10, 13);
    const r = await runForYouEval(t.gql, population, {
      clicksPerUser: 5,
      noise: 0.1,
      clickSeed: 12,
      k: 10,
      concurrency: 8,
      timeoutMs: 30_000,
      notInterestedWeight: t.config.taste.signalWeights.notInterestedTag,
    });
    console.info(
      `synthetic population: forYou ${r.forYou.toFixed(3)}, after "not interested" ${r.afterNotInterested.toFixed(3)}, chronological ${r.chronological.toFixed(3)} (as shown ${r.chronologicalRaw.toFixed(3)}), no signal ${r.coldStart.toFixed(3)}, newcomers ${r.newcomers.toFixed(3)}`,
    );
    expect(r.clicks).toBe(200);
    expect(r.forYou).toBeGreaterThanOrEqual(0.8);
    expect(r.forYou).toBeGreaterThanOrEqual(5 * r.chronological);
    expect(r.afterNotInterested).toBeGreaterThanOrEqual(r.forYou);
    // Newcomers follow no one and clicked nothing: what they chose is all forYou knows.
    expect(r.newcomers).toBeGreaterThanOrEqual(0.8);
  });
});
