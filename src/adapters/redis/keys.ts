/**
 * Every Redis key the service uses is built here, so the key space can be read in one place.
 * Ids are decimal Snowflake strings; handles are stored lower-cased for case-insensitive uniqueness.
 */
export const keys = {
  /** String: JSON of a stored Tweet. */
  tweet: (id: string) => `tweet:${id}`,
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
} as const;
