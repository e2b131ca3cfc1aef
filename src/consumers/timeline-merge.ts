import { FollowEvent } from '../domain/events.js';
import type { TimelineStore } from '../domain/ports.js';
import { defineConsumer } from './definition.js';

/**
 * Group `timeline-merge`: a new follow merges the followee's recent tweets in, or, for a celebrity,
 * records the follow so reads merge the author in; an unfollow undoes both.
 */
export function timelineMergeConsumer(deps: { timelines: TimelineStore }) {
  return defineConsumer<FollowEvent>({
    group: 'timeline-merge',
    topic: 'follows',
    schema: FollowEvent,
    async handle(event, ctx) {
      const { followerId, followeeId } = event.data;
      switch (event.type) {
        case 'follow.created':
          if ((await deps.timelines.celebritySince(followeeId)) !== null) {
            await deps.timelines.addFollowedCelebrity([followerId], followeeId);
            ctx.log.info({ followerId, followeeId }, 'recorded follow of a celebrity');
            return;
          }
          await deps.timelines.mergeAuthorIntoHome(followerId, followeeId);
          ctx.log.info({ followerId, followeeId }, 'merged followee into home timeline');
          return;
        case 'follow.removed':
          // Both, always: a celebrity's tweets from before the promotion were fanned out.
          await deps.timelines.removeFollowedCelebrity(followerId, followeeId);
          await deps.timelines.unmergeAuthorFromHome(followerId, followeeId);
          ctx.log.info({ followerId, followeeId }, 'removed followee from home timeline');
          return;
      }
    },
  });
}
