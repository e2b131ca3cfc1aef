import type { FanOutCheckpoints, FollowGraph, LivePublisher, TimelineStore } from '../domain/ports.js';
import type { Tweet } from '../domain/types.js';

export interface FanOutOptions {
  chunkSize: number;
  /** Called between chunks so long fan-outs keep the consumer's group membership alive. */
  heartbeat?: () => Promise<void>;
}

export interface FanOutDeps {
  graph: FollowGraph;
  timelines: TimelineStore;
  live: LivePublisher;
  checkpoints: FanOutCheckpoints;
}

/**
 * Puts a tweet into its author's home timeline and every follower's, one pipelined chunk of
 * followers at a time, and pushes it to those of them with a live subscription once it is in
 * their timeline. After each chunk the follower-scan cursor is checkpointed, so a fan-out cut off
 * by a crash resumes where it stopped when the message is redelivered. Idempotent: a chunk written
 * twice (crash between write and checkpoint) adds nothing twice; subscribers de-duplicate pushes.
 */
export async function fanOutTweet(
  deps: FanOutDeps,
  tweet: Tweet,
  producedAt: number,
  options: FanOutOptions,
): Promise<{ delivered: number; pushed: number; resumed: boolean }> {
  const entry = { tweet, producedAt };
  const from = await deps.checkpoints.get(tweet.id);
  let delivered = 0;
  let pushed = 0;
  if (!from) {
    await deps.timelines.addToHomeTimelines([tweet.authorId], tweet.id);
    pushed += await deps.live.pushHomeEntry([tweet.authorId], entry);
    delivered = 1;
  }
  const scan = deps.graph.scanFollowers(tweet.authorId, options.chunkSize, from ?? '0')[Symbol.asyncIterator]();
  // The next chunk is read while this one is written, so Redis is not left waiting on us between chunks.
  let upcoming = scan.next();
  for (;;) {
    const step = await upcoming;
    if (step.done) break;
    const chunk = step.value;
    upcoming = scan.next();
    // Marked handled: if writing this chunk fails first, the read's own failure is moot.
    upcoming.catch(() => undefined);
    await deps.timelines.addToHomeTimelines(chunk.ids, tweet.id);
    pushed += await deps.live.pushHomeEntry(chunk.ids, entry);
    delivered += chunk.ids.length;
    if (chunk.next !== '0') await deps.checkpoints.save(tweet.id, chunk.next);
    await options.heartbeat?.();
  }
  if (from) await deps.checkpoints.clear(tweet.id);
  return { delivered, pushed, resumed: from !== null };
}

/** Removes a deleted tweet from the author's and every follower's home timeline. Idempotent. */
export async function retractTweet(
  deps: Pick<FanOutDeps, 'graph' | 'timelines'>,
  tweet: { id: string; authorId: string },
  options: FanOutOptions,
): Promise<void> {
  await deps.timelines.removeFromHomeTimelines([tweet.authorId], tweet.id);
  for await (const chunk of deps.graph.scanFollowers(tweet.authorId, options.chunkSize)) {
    await deps.timelines.removeFromHomeTimelines(chunk.ids, tweet.id);
    await options.heartbeat?.();
  }
}
