import DataLoader from 'dataloader';
import type { TweetRepository } from '../domain/tweets/ports.js';

/**
 * Whether tweets pushed to live subscribers are flagged, as stored now: the delivery check of
 * every live home-timeline push (fan-out does not wait for the verdict, so a push can carry a
 * tweet moderation has flagged since). One instance per API process: the checks of one tick, from
 * every subscriber, are one MGET; a verdict once stored never changes, so it is remembered (the
 * newest `capacity` of them) and costs nothing the next time; a tweet without a verdict yet is
 * read again at its next push.
 */
export interface LiveVerdicts {
  /** True when the tweet's stored verdict flags it. Rejects when Redis does. */
  flagged(tweetId: string): Promise<boolean>;
  /** Records a verdict learned otherwise (an entry removal heard on pub/sub). */
  remember(tweetId: string, flagged: boolean): void;
}

export function createLiveVerdicts(tweets: Pick<TweetRepository, 'getModerations'>, options: { capacity?: number } = {}): LiveVerdicts {
  const capacity = options.capacity ?? 10_000;
  const known = new Map<string, boolean>();
  const remember = (tweetId: string, flagged: boolean) => {
    known.delete(tweetId);
    known.set(tweetId, flagged);
    if (known.size > capacity) known.delete(known.keys().next().value!);
  };
  const loader = new DataLoader<string, boolean>(
    async (ids) => {
      const verdicts = await tweets.getModerations(ids);
      return ids.map((id, i) => {
        const verdict = verdicts[i];
        if (!verdict) return false;
        remember(id, verdict.flagged);
        return verdict.flagged;
      });
    },
    // Not a cache: a tweet without a verdict must be read again next time.
    { cache: false },
  );
  return {
    async flagged(tweetId) {
      const cached = known.get(tweetId);
      return cached ?? loader.load(tweetId);
    },
    remember,
  };
}
