import type { TweetResolvers } from './__generated__/types.js';

export const Tweet: TweetResolvers = {
  id: (tweet) => tweet.id,
  text: (tweet) => tweet.text,
  createdAt: (tweet) => tweet.createdAt,
  // Tags and moderation arrive in the same MGET as the tweet itself (TweetRepository.getMany).
  tags: (tweet) => tweet.tags?.tags ?? [],
  moderation: (tweet) => (tweet.moderation ? { flagged: tweet.moderation.flagged, categories: tweet.moderation.categories } : null),
  async author(tweet, _args, ctx) {
    const author = await ctx.loaders.user.load(tweet.authorId);
    // Users are never deleted, so a missing author means corrupted state, not an expected outcome.
    if (!author) throw new Error(`author ${tweet.authorId} of tweet ${tweet.id} not found`);
    return author;
  },
};
