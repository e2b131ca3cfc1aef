import { FollowEvent } from '../domain/events.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { TimelineStore } from '../domain/timelines/ports.js';
import { defineConsumer } from './definition.js';

/**
 * Group `timeline-merge`: a new follow merges the followee's recent tweets in, or, for a celebrity,
 * records the follow so reads merge the author in; an unfollow undoes both. The follow graph, which
 * the API writes before publishing, decides which of the two applies: an event that arrives late
 * (a retry overtaken by a later follow or unfollow of the same pair) then does what the graph says
 * now, never what it said then. After its writes it tells the follower's live subscription, if any,
 * to refresh its celebrity channels and read what was merged in (LivePublisher.pushFollowsChanged).
 */
export function timelineMergeConsumer(deps: {
  timelines: TimelineStore;
  graph: Pick<FollowGraph, 'isFollowing'>;
  live: Pick<LivePublisher, 'pushFollowsChanged'>;
}) {
  return defineConsumer<FollowEvent>({
    group: 'timeline-merge',
    topic: 'follows',
    schema: FollowEvent,
    async handle(event, ctx) {
      const { followerId, followeeId } = event.data;
      const [following] = await deps.graph.isFollowing(followerId, [followeeId]);
      if (following) {
        if ((await deps.timelines.celebritySince(followeeId)) !== null) {
          await deps.timelines.addFollowedCelebrity([followerId], followeeId);
          await deps.live.pushFollowsChanged([followerId]);
          ctx.log.debug({ followerId, followeeId, event: event.type }, 'recorded follow of a celebrity');
          return;
        }
        await deps.timelines.mergeAuthorIntoHome(followerId, followeeId);
        await deps.live.pushFollowsChanged([followerId]);
        ctx.log.debug({ followerId, followeeId, event: event.type }, 'merged followee into home timeline');
        return;
      }
      // Both, always: a celebrity's tweets from before the promotion were fanned out.
      await deps.timelines.removeFollowedCelebrity(followerId, followeeId);
      await deps.timelines.unmergeAuthorFromHome(followerId, followeeId);
      await deps.live.pushFollowsChanged([followerId]);
      ctx.log.debug({ followerId, followeeId, event: event.type }, 'removed followee from home timeline');
    },
  });
}
