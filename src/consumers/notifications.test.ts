import { describe, expect, it } from 'vitest';
import { makeEvent, type FollowEvent, type LikeEvent, type TweetEvent, type UnlikeEvent } from '../domain/events.js';
import type { ActorFilter, NotificationActivity, NotificationStore } from '../domain/notifications/ports.js';
import { noActorFilter } from '../domain/notifications/ports.js';
import { createLogger } from '../observability/logger.js';
import type { HandlerContext } from './definition.js';
import { notificationConsumers } from './notifications.js';

const ctx: HandlerContext = { log: createLogger({ level: 'silent' }), heartbeat: async () => undefined };

/** An in-memory store with the real store's counting rule (an actor counts once per group). */
function fakes(options: { liked?: boolean; reposted?: boolean; filter?: ActorFilter } = {}) {
  const recorded: NotificationActivity[] = [];
  const retracted: NotificationActivity[] = [];
  const pushed: string[] = [];
  const seen = new Set<string>();
  const store: Pick<NotificationStore, 'record' | 'retract'> = {
    async record(a) {
      const id = `${a.recipientId}/${a.kind}/${a.tweetId}/${a.actorId}`;
      if (seen.has(id)) return null;
      seen.add(id);
      recorded.push(a);
      return `${a.kind.toLowerCase()}:${a.tweetId ?? 'day'}`;
    },
    async retract(a) {
      retracted.push(a);
      return true;
    },
  };
  const consumers = notificationConsumers({
    notifications: store as NotificationStore,
    actorFilter: options.filter ?? noActorFilter,
    likes: { likedAmong: async (_u, ids) => ids.map(() => options.liked ?? true) },
    reposts: { has: async () => options.reposted ?? true },
    live: { pushNotification: async (userId, group) => pushed.push(`${userId} ${group}`) },
  });
  return { consumers, recorded, retracted, pushed };
}

const tweet = (id: string, authorId: string, extra: object = {}) =>
  makeEvent<TweetEvent>('tweet.created', { tweet: { id, authorId, text: 'hi', createdAt: new Date().toISOString(), ...extra } });

describe('the notifications consumer', () => {
  it('notifies the followee of a follow, once however often the event comes, and pushes after storing', async () => {
    const { consumers, recorded, pushed } = fakes();
    const event = makeEvent<FollowEvent>('follow.created', { followerId: '8', followeeId: '7', followedAt: 1000 });
    await consumers.follows.handle(event, ctx);
    await consumers.follows.handle(event, ctx);
    expect(recorded).toEqual([{ recipientId: '7', actorId: '8', kind: 'FOLLOW', tweetId: null, at: 1000 }]);
    expect(pushed).toEqual(['7 follow:day']);
  });

  it('leaves a follow notification when the follow is undone, and notifies nobody of the unfollow', async () => {
    const { consumers, recorded, retracted } = fakes();
    const created = makeEvent<FollowEvent>('follow.created', { followerId: '8', followeeId: '7' });
    await consumers.follows.handle(created, ctx);
    await consumers.follows.handle(makeEvent<FollowEvent>('follow.removed', { followerId: '8', followeeId: '7' }), ctx);
    // Events from before followedAt existed are timed by their envelope.
    expect(recorded).toEqual([{ recipientId: '7', actorId: '8', kind: 'FOLLOW', tweetId: null, at: created.producedAt }]);
    expect(retracted).toEqual([]);
  });

  it('notifies the author of a like, never of their own, and takes an unlike back', async () => {
    const { consumers, recorded } = fakes();
    await consumers.likes.handle(makeEvent<LikeEvent>('tweet.liked', { userId: '8', tweetId: '11', authorId: '7', likedAt: 5 }), ctx);
    await consumers.likes.handle(makeEvent<LikeEvent>('tweet.liked', { userId: '7', tweetId: '11', authorId: '7', likedAt: 6 }), ctx);
    expect(recorded.map((a) => `${a.recipientId}<-${a.actorId} ${a.kind} ${a.tweetId}`)).toEqual(['7<-8 LIKE 11']);

    const gone = fakes({ liked: false });
    await gone.consumers.likes.handle(makeEvent<UnlikeEvent>('tweet.unliked', { userId: '8', tweetId: '11', authorId: '7', likedAt: 5, unlikedAt: 9 }), ctx);
    expect(gone.retracted.map((a) => `${a.recipientId}<-${a.actorId} ${a.kind} ${a.tweetId}`)).toEqual(['7<-8 LIKE 11']);
  });

  it('notifies mentioned users and the author replied to (once, as a reply), not the author', async () => {
    const { consumers, recorded } = fakes();
    await consumers.tweets.handle(tweet('1000000000000000001', '7', { mentionIds: ['8', '9', '7', '8'] }), ctx);
    await consumers.tweets.handle(tweet('1000000000000000002', '7', { replyTo: { id: '1000000000000000001', authorId: '9' }, mentionIds: ['9', '10'] }), ctx);
    expect(recorded.map((a) => `${a.recipientId} ${a.kind} ${a.tweetId}`)).toEqual([
      '8 MENTION 1000000000000000001',
      '9 MENTION 1000000000000000001',
      '9 REPLY 1000000000000000002',
      '10 MENTION 1000000000000000002',
    ]);
  });

  it('records nothing from an actor the filter hides from the recipient', async () => {
    const filter: ActorFilter = {
      hiddenActors: async (recipientId, ids) => new Set(recipientId === '7' ? ids.filter((id) => id === '8') : []),
      hiddenFrom: async (recipientId) => new Set(recipientId === '7' ? ['8'] : []),
    };
    const { consumers, recorded, pushed } = fakes({ filter });
    await consumers.likes.handle(makeEvent<LikeEvent>('tweet.liked', { userId: '8', tweetId: '11', authorId: '7', likedAt: 5 }), ctx);
    await consumers.tweets.handle(tweet('1000000000000000003', '8', { mentionIds: ['7', '9'] }), ctx);
    expect(recorded.map((a) => `${a.recipientId}<-${a.actorId}`)).toEqual(['9<-8']);
    expect(pushed).toHaveLength(1);
  });

  it("notifies the author of a repost while it stands, never of their own, and takes an unrepost back", async () => {
    const record = { id: '11', authorId: '7', text: 'hi', createdAt: new Date().toISOString() };
    const { consumers, recorded, retracted } = fakes();
    await consumers.tweets.handle(makeEvent<TweetEvent>('repost.created', { reposterId: '8', tweet: record, repostedAt: 5 }), ctx);
    await consumers.tweets.handle(makeEvent<TweetEvent>('repost.created', { reposterId: '8', tweet: record, repostedAt: 5 }), ctx);
    await consumers.tweets.handle(makeEvent<TweetEvent>('repost.created', { reposterId: '7', tweet: record, repostedAt: 6 }), ctx);
    expect(recorded.map((a) => `${a.recipientId}<-${a.actorId} ${a.kind} ${a.tweetId} @${a.at}`)).toEqual(['7<-8 REPOST 11 @5']);
    // Still reposted (a later repost of the same user): the unrepost event is old news.
    await consumers.tweets.handle(makeEvent<TweetEvent>('repost.removed', { reposterId: '8', tweetId: '11', authorId: '7' }), ctx);
    expect(retracted).toEqual([]);

    const gone = fakes({ reposted: false });
    await gone.consumers.tweets.handle(makeEvent<TweetEvent>('repost.created', { reposterId: '8', tweet: record, repostedAt: 5 }), ctx);
    await gone.consumers.tweets.handle(makeEvent<TweetEvent>('repost.removed', { reposterId: '8', tweetId: '11', authorId: '7' }), ctx);
    expect(gone.recorded).toEqual([]);
    expect(gone.retracted.map((a) => `${a.recipientId}<-${a.actorId} ${a.kind} ${a.tweetId}`)).toEqual(['7<-8 REPOST 11']);
  });
});
