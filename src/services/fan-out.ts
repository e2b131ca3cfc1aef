import type { FollowGraph, TimelineStore } from '../domain/ports.js';

export interface FanOutOptions {
  chunkSize: number;
  /** Called between chunks so long fan-outs keep the consumer's group membership alive. */
  heartbeat?: () => Promise<void>;
}

/**
 * Puts a tweet into its author's home timeline and every follower's, one pipelined chunk of
 * followers at a time. Idempotent: running it again after a crash adds nothing twice.
 */
export async function fanOutTweet(
  deps: { graph: FollowGraph; timelines: TimelineStore },
  tweet: { id: string; authorId: string },
  options: FanOutOptions,
): Promise<number> {
  await deps.timelines.addToHomeTimelines([tweet.authorId], tweet.id);
  let delivered = 1;
  for await (const followers of deps.graph.scanFollowers(tweet.authorId, options.chunkSize)) {
    await deps.timelines.addToHomeTimelines(followers, tweet.id);
    delivered += followers.length;
    await options.heartbeat?.();
  }
  return delivered;
}

/** Removes a deleted tweet from the author's and every follower's home timeline. Idempotent. */
export async function retractTweet(
  deps: { graph: FollowGraph; timelines: TimelineStore },
  tweet: { id: string; authorId: string },
  options: FanOutOptions,
): Promise<void> {
  await deps.timelines.removeFromHomeTimelines([tweet.authorId], tweet.id);
  for await (const followers of deps.graph.scanFollowers(tweet.authorId, options.chunkSize)) {
    await deps.timelines.removeFromHomeTimelines(followers, tweet.id);
    await options.heartbeat?.();
  }
}
