import type { FollowGraph, LivePublisher, TimelineStore } from '../domain/ports.js';
import type { Tweet } from '../domain/types.js';

export interface FanOutOptions {
  chunkSize: number;
  /** Called between chunks so long fan-outs keep the consumer's group membership alive. */
  heartbeat?: () => Promise<void>;
}

/**
 * Puts a tweet into its author's home timeline and every follower's, one pipelined chunk of
 * followers at a time, and pushes it to those of them with a live subscription once it is in
 * their timeline. Idempotent for timelines: running it again after a crash adds nothing twice
 * (subscribers de-duplicate repeated pushes by tweet id).
 */
export async function fanOutTweet(
  deps: { graph: FollowGraph; timelines: TimelineStore; live: LivePublisher },
  tweet: Tweet,
  producedAt: number,
  options: FanOutOptions,
): Promise<{ delivered: number; pushed: number }> {
  const entry = { tweet, producedAt };
  await deps.timelines.addToHomeTimelines([tweet.authorId], tweet.id);
  let pushed = await deps.live.pushHomeEntry([tweet.authorId], entry);
  let delivered = 1;
  for await (const followers of deps.graph.scanFollowers(tweet.authorId, options.chunkSize)) {
    await deps.timelines.addToHomeTimelines(followers, tweet.id);
    pushed += await deps.live.pushHomeEntry(followers, entry);
    delivered += followers.length;
    await options.heartbeat?.();
  }
  return { delivered, pushed };
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
