import { FollowEvent } from '../domain/events.js';
import type { TimelineStore } from '../domain/ports.js';
import { defineConsumer } from './definition.js';

/** Group `timeline-merge`: a new follow merges the followee's recent tweets in; an unfollow takes them out. */
export function timelineMergeConsumer(deps: { timelines: TimelineStore }) {
  return defineConsumer<FollowEvent>({
    group: 'timeline-merge',
    topic: 'follows',
    schema: FollowEvent,
    async handle(event, ctx) {
      const { followerId, followeeId } = event.data;
      switch (event.type) {
        case 'follow.created':
          await deps.timelines.mergeAuthorIntoHome(followerId, followeeId);
          ctx.log.info({ followerId, followeeId }, 'merged followee into home timeline');
          return;
        case 'follow.removed':
          await deps.timelines.unmergeAuthorFromHome(followerId, followeeId);
          ctx.log.info({ followerId, followeeId }, 'removed followee from home timeline');
          return;
      }
    },
  });
}
