/**
 * Every Redis key the service uses is built here, so the key space can be read in one place.
 * Ids are decimal Snowflake strings; handles are stored lower-cased for case-insensitive uniqueness.
 */
export const keys = {
  /** String: JSON of a stored Tweet. */
  tweet: (id: string) => `tweet:${id}`,
  /** String: JSON TweetTags, written by the tagger group; loaded in the same MGET as the tweet. */
  tweetTags: (id: string) => `tweet:${id}:tags`,
  /** String: JSON ModerationVerdict, written by the moderator group; same MGET as the tweet. */
  tweetModeration: (id: string) => `tweet:${id}:moderation`,
  /** Sorted set: recent tweet ids with this tag → tweet time (ms); capped; candidates for ranking. */
  tagIndex: (tag: string) => `tag:${tag}:tweets`,
  /** String with TTL: JSON tags the LLM chose for a text, by SHA-256 of the text. */
  tagCache: (textHash: string) => `tagcache:${textHash}`,
  /** String: JSON of a User (no secrets). */
  user: (id: string) => `user:${id}`,
  /** String: scrypt hash; kept apart so user loads never carry it. */
  password: (userId: string) => `user:${userId}:password`,
  /** String: user id owning the handle. */
  handle: (handle: string) => `handle:${handle.toLowerCase()}`,
  /** Sorted set: follower id → follow time (ms). */
  followers: (userId: string) => `followers:${userId}`,
  /** Sorted set: followee id → follow time (ms). */
  following: (userId: string) => `following:${userId}`,
  /** Sorted set: tweet id → tweet time (ms). Owned by TimelineStore. */
  homeTimeline: (userId: string) => `timeline:home:${userId}`,
  /** Sorted set: the author's own tweet ids → tweet time (ms). Owned by TimelineStore. */
  authorTimeline: (userId: string) => `timeline:author:${userId}`,
  /** Pub/sub channel: new home-timeline entries of one user, for live subscriptions. */
  homeChannel: (userId: string) => `push:home:${userId}`,
  /** Pub/sub channel: a tweet's tags or moderation arrived. */
  tweetChannel: (tweetId: string) => `push:tweet:${tweetId}`,
  /**
   * String with TTL: some API instance has a live subscriber on `channel` (Mastodon's heartbeat
   * key). Publishers skip channels without one, so push cost follows listeners, not followers.
   */
  listening: (channel: string) => `listening:${channel}`,
} as const;
