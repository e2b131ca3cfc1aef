/**
 * Every Redis key the service uses is built here, so the key space can be read in one place.
 * Ids are decimal Snowflake strings; handles are stored lower-cased for case-insensitive uniqueness.
 *
 * Hash tags: keys that one Lua script or MULTI touches together carry the same `{tag}` (the id of
 * what they belong to), so on a Redis Cluster they live in one slot: a tweet's family, a user's
 * record and password, a user's taste family, the popular set and its anchor. Every other key has
 * no braces and hashes whole, so keys of different users and tweets spread over the slots; work
 * across them goes through slots.ts.
 */
const homeTimeline = (userId: string) => `timeline:home:${userId}`;

export const keys = {
  /** String: JSON of a stored Tweet. */
  tweet: (id: string) => `tweet:{${id}}`,
  /**
   * String with TTL: the tweet was deleted. A tweet.created that arrives after its deletion (a retry
   * overtaking it) must not bring the tweet back.
   */
  tweetTombstone: (id: string) => `tweet:{${id}}:deleted`,
  /** String: JSON TweetTags, written by the tagger group; loaded in the same MGET as the tweet. */
  tweetTags: (id: string) => `tweet:{${id}}:tags`,
  /** String: JSON ModerationVerdict, written by the moderator group; same MGET as the tweet. */
  tweetModeration: (id: string) => `tweet:{${id}}:moderation`,
  /** String: how many users like the tweet (an integer), written with the like edges; same MGET as the tweet. */
  tweetLikes: (id: string) => `tweet:{${id}}:likes`,
  /**
   * Sorted set: the replies to a tweet → reply time (ms), oldest first in `Tweet.replies`; written by
   * the tweet-store group. Same slot as the tweet.
   */
  tweetReplies: (id: string) => `tweet:{${id}}:replies`,
  /**
   * Sorted set: the users who reposted the tweet → repost time (ms), written by the API (repost,
   * unrepost); repostCount is its ZCARD and home pages read its earliest members to name who
   * reposted. Same slot as the tweet (its tombstone refuses reposts of a deleted tweet).
   */
  tweetReposters: (id: string) => `tweet:{${id}}:reposters`,
  /** Sorted set: recent tweet ids with this tag → tweet time (ms); capped; candidates for ranking. */
  tagIndex: (tag: string) => `tag:${tag}:tweets`,
  /** String with TTL: JSON tags the LLM chose for a text, by SHA-256 of the text. */
  tagCache: (textHash: string) => `tagcache:${textHash}`,
  /** String: JSON of a User (no secrets). */
  user: (id: string) => `user:{${id}}`,
  /** String: scrypt hash; kept apart so user loads never carry it. */
  password: (userId: string) => `user:{${userId}}:password`,
  /** String: user id owning the handle. */
  handle: (handle: string) => `handle:${handle.toLowerCase()}`,
  /** Sorted set: follower id → follow time (ms). */
  followers: (userId: string) => `followers:${userId}`,
  /** Sorted set: followee id → follow time (ms). */
  following: (userId: string) => `following:${userId}`,
  /** Sorted set: tweet id → tweet time (ms). Owned by TimelineStore. */
  homeTimeline,
  /**
   * String: when the user was last seen (unix ms): read their home timeline or posted. Negative
   * (minus that time) while their timeline waits for a rebuild after they came back from being
   * inactive. Hash-tagged with the user's home timeline key, so on a Redis Cluster it shares that
   * key's slot and one script can read both. Owned by TimelineStore.
   */
  lastSeen: (userId: string) => `timeline:seen:{${homeTimeline(userId)}}`,
  /**
   * String with TTL: some API instance is rebuilding the user's home timeline (a lease: when the
   * instance dies the key expires and the next read starts again). Same slot as the home timeline.
   * Owned by TimelineStore.
   */
  homeRebuild: (userId: string) => `timeline:rebuilding:{${homeTimeline(userId)}}`,
  /** Sorted set: the author's own tweet ids → tweet time (ms). Owned by TimelineStore. */
  authorTimeline: (userId: string) => `timeline:author:${userId}`,
  /**
   * String: the author is above the celebrity threshold; holds the tweet time (ms) from which the
   * author's tweets are merged at read time instead of fanned out. Owned by TimelineStore.
   */
  celebrity: (authorId: string) => `timeline:celebrity:${authorId}`,
  /** Set: the celebrities a user follows, whose author timelines their home page merges in. Owned by TimelineStore. */
  followedCelebrities: (userId: string) => `timeline:celebrities:${userId}`,
  /**
   * String with TTL: the follower-scan cursor an interrupted fan-out resumes from, by walk: a tweet's
   * id, or `repost:<reposter>:<tweet>` for a repost's (repostWalk in services/fan-out.ts), so a
   * repost never resumes from, or clears, the original's or another reposter's walk.
   */
  fanOutCheckpoint: (walk: string) => `fanout:checkpoint:${walk}`,
  /** Pub/sub channel: new home-timeline entries of one user, for live subscriptions. */
  homeChannel: (userId: string) => `push:home:${userId}`,
  /** Pub/sub channel: new tweets of a celebrity, for live subscribers who follow them. */
  authorChannel: (authorId: string) => `push:author:${authorId}`,
  /** Pub/sub channel: a tweet's tags or moderation arrived. */
  tweetChannel: (tweetId: string) => `push:tweet:${tweetId}`,
  /** Pub/sub channel, one for the deployment: tweets live subscribers must drop (flagged after they were pushed). */
  removalsChannel: () => 'push:removed',
  /**
   * String with TTL: some API instance has a live subscriber on `channel` (Mastodon's heartbeat
   * key). Publishers skip channels without one, so push cost follows listeners, not followers.
   */
  listening: (channel: string) => `listening:${channel}`,
  /**
   * Sorted set: tag → click weight scaled to the user's decay anchor (see TasteStore), so the
   * heaviest tags are one ZRANGE and decay never rewrites the set. At most the 50 vocabulary tags.
   */
  taste: (userId: string) => `taste:{${userId}}`,
  /** String: unix ms the scores of `taste:{userId}` are scaled to; moved forward rarely (rebase). */
  tasteAnchor: (userId: string) => `taste:{${userId}}:anchor`,
  /** Sorted set: tweet ids the user clicked → last counted click time (ms); capped. Dedupe and exclusion. */
  clicked: (userId: string) => `clicked:{${userId}}`,
  /**
   * Sorted set: author id → weight the user's negative feedback gave the author (≤ 0), scaled to
   * the taste anchor like `taste:{userId}`; capped at the strongest.
   */
  tasteAuthors: (userId: string) => `taste:{${userId}}:authors`,
  /** Hash: `click:<tag>` / `like:<tag>` → how many clicked or liked tweets carried the tag (reasons name them). */
  tasteCounts: (userId: string) => `taste:{${userId}}:counts`,
  /**
   * Sorted set: `like:<tweet>` / `hide:<tweet>` → the signal's time (ms): which likes and
   * not-interested signals the taste already learned, so a redelivery never counts twice; capped.
   */
  tasteLearned: (userId: string) => `taste:{${userId}}:learned`,
  /**
   * Hash of what the user said about their taste: `chosen:<tag>` → ms (setInterests), `chosenAt` →
   * ms of the last setInterests, `removed:<tag>` → ms of the last removeTasteTag of the tag (signals
   * older than it never teach the tag again).
   */
  tastePrefs: (userId: string) => `taste:{${userId}}:prefs`,
  /** Sorted set: tweets the user said they are not interested in → when (ms); capped. Out of forYou at once. */
  tasteHidden: (userId: string) => `taste:{${userId}}:hidden`,
  /**
   * Sorted set: tweet ids the user likes → like time (ms), written by the API (viewerHasLiked). Same
   * slot as the user's taste, so the taste group's script checks a like is still there.
   */
  likes: (userId: string) => `likes:{${userId}}`,
  /** Sorted set: tweet id → recent clicks, decayed like taste; capped. Cold-start candidates. */
  popular: () => '{popular}:tweets',
  /** String: unix ms the scores of `{popular}:tweets` are scaled to. */
  popularAnchor: () => '{popular}:tweets:anchor',
  /**
   * Sorted set: the users this user muted → when (ms). Hash-tagged with the user's id, like the
   * other three relation sets, so one command (ZUNION) reads everyone hidden from them. Owned by
   * RelationStore.
   */
  mutes: (userId: string) => `mutes:{${userId}}`,
  /** Sorted set: the users who muted this user → when (ms); fan-out skips them. Owned by RelationStore. */
  mutedBy: (userId: string) => `mutedby:{${userId}}`,
  /** Sorted set: the users this user blocked → when (ms). Owned by RelationStore. */
  blocks: (userId: string) => `blocks:{${userId}}`,
  /** Sorted set: the users who blocked this user → when (ms). Owned by RelationStore. */
  blockedBy: (userId: string) => `blockedby:{${userId}}`,
  /** String with TTL: requests of one kind a subject made in the current window. */
  rateLimit: (action: string, subject: string) => `ratelimit:${action}:${subject}`,
  /**
   * String with TTL: `handle` signed in successfully from this client address lately; such an address
   * may still sign in while the handle's failure budget is spent.
   */
  knownSignInAddress: (handle: string, address: string) => `signin:known:${handle.toLowerCase()}:${address}`,
  /**
   * List with TTL: one forYou ranking (JSON entries, best first) that later pages read from.
   * Hash-tagged by user, with the user's list of snapshots, so one script keeps both.
   */
  forYouSnapshot: (userId: string, snapshotId: string) => `foryou:{${userId}}:${snapshotId}`,
  /** List with TTL: the user's snapshot ids, newest first, at most FORYOU_SNAPSHOTS_PER_USER; older snapshots are deleted. */
  forYouSnapshots: (userId: string) => `foryou:{${userId}}`,
  /**
   * Sorted set with TTL: the user's notification groups (`like:<tweet>`, `follow:<day>`, … see
   * domain/notifications/grouping.ts) → their latest activity (ms); at most NOTIFICATIONS_CAP.
   * Hash-tagged by user with the rest of the user's notification keys: one script keeps them all.
   * Owned by NotificationStore.
   */
  notifications: (userId: string) => `notif:{${userId}}`,
  /** Hash with TTL: group → how many actors it counted (the preview keeps only the newest). */
  notificationCounts: (userId: string) => `notif:{${userId}}:counts`,
  /** Sorted set with TTL: one group's newest actors → when they acted (ms); at most NOTIFICATIONS_ACTORS_CAP. */
  notificationActors: (userId: string, group: string) => `notif:{${userId}}:actors:${group}`,
  /** String with TTL: unix ms up to which the user has read their notifications (markNotificationsRead). */
  notificationsRead: (userId: string) => `notif:{${userId}}:read`,
  /** Pub/sub channel: a notification group of one user changed, for live subscriptions. */
  notificationChannel: (userId: string) => `push:notify:${userId}`,
} as const;

/**
 * The text around the id in a per-user key, for Lua scripts that build keys inside Redis (fan-out
 * walks the follower set there): `prefix .. id .. suffix` is `build(id)`. Keeps keys.ts the one
 * place that knows key names.
 */
export function keyTemplate(build: (id: string) => string): { prefix: string; suffix: string } {
  const marker = '\u0000';
  const [prefix, suffix, ...rest] = build(marker).split(marker);
  if (prefix === undefined || suffix === undefined || rest.length > 0) throw new Error('a key template needs the id exactly once');
  return { prefix, suffix };
}

/** How `rebuild` treats a key family: replaying Kafka writes it again, or it is dropped for good. */
export type KeyFamilyFate = 'replayed' | 'dropped';

/**
 * A SCAN MATCH pattern for every key builder above (channels are not keys), and what a rebuild does
 * with that family: it deletes every key the patterns match, then replays Kafka, which writes the
 * `replayed` families again. `dropped` ones are caches, counters and cursors that are safe to lose.
 * Patterns may overlap (`tweet:*` also matches a tweet's tags); a key matching any of them is ours.
 */
export const keyFamilies = {
  tweet: { pattern: 'tweet:*', fate: 'replayed' },
  tweetTombstone: { pattern: 'tweet:*:deleted', fate: 'replayed' },
  tweetTags: { pattern: 'tweet:*:tags', fate: 'replayed' },
  tweetModeration: { pattern: 'tweet:*:moderation', fate: 'replayed' },
  // Likes are written by the API; a rebuild restores them (and their counts) from the like events.
  tweetLikes: { pattern: 'tweet:*:likes', fate: 'replayed' },
  tweetReplies: { pattern: 'tweet:*:replies', fate: 'replayed' },
  // The API writes them and publishes repost.created / repost.removed to `tweets`; a rebuild's restorer replays those.
  tweetReposters: { pattern: 'tweet:*:reposters', fate: 'replayed' },
  tagIndex: { pattern: 'tag:*:tweets', fate: 'replayed' },
  tagCache: { pattern: 'tagcache:*', fate: 'dropped' },
  user: { pattern: 'user:*', fate: 'replayed' },
  password: { pattern: 'user:*:password', fate: 'replayed' },
  handle: { pattern: 'handle:*', fate: 'replayed' },
  followers: { pattern: 'followers:*', fate: 'replayed' },
  following: { pattern: 'following:*', fate: 'replayed' },
  homeTimeline: { pattern: 'timeline:home:*', fate: 'replayed' },
  // Reads are not in Kafka. After a rebuild every user is first seen again by the replay itself
  // (a follower's first delivery, an author's tweet), so every replayed timeline counts as active
  // for TIMELINE_ACTIVE_DAYS and inactive ones expire after that.
  lastSeen: { pattern: 'timeline:seen:*', fate: 'dropped' },
  // A lease of a running rebuild: the next read starts it again.
  homeRebuild: { pattern: 'timeline:rebuilding:*', fate: 'dropped' },
  authorTimeline: { pattern: 'timeline:author:*', fate: 'replayed' },
  celebrity: { pattern: 'timeline:celebrity:*', fate: 'replayed' },
  followedCelebrities: { pattern: 'timeline:celebrities:*', fate: 'replayed' },
  fanOutCheckpoint: { pattern: 'fanout:checkpoint:*', fate: 'dropped' },
  listening: { pattern: 'listening:*', fate: 'dropped' },
  taste: { pattern: 'taste:*', fate: 'replayed' },
  tasteAnchor: { pattern: 'taste:*:anchor', fate: 'replayed' },
  clicked: { pattern: 'clicked:*', fate: 'replayed' },
  tasteAuthors: { pattern: 'taste:*:authors', fate: 'replayed' },
  tasteCounts: { pattern: 'taste:*:counts', fate: 'replayed' },
  tasteLearned: { pattern: 'taste:*:learned', fate: 'replayed' },
  // The API writes these at once; the taste group applies the same events, and so does a replay.
  tastePrefs: { pattern: 'taste:*:prefs', fate: 'replayed' },
  tasteHidden: { pattern: 'taste:*:hidden', fate: 'replayed' },
  likes: { pattern: 'likes:*', fate: 'replayed' },
  popular: { pattern: '{popular}:tweets', fate: 'replayed' },
  popularAnchor: { pattern: '{popular}:tweets:anchor', fate: 'replayed' },
  // The API writes them and publishes each change to `relations`, which a rebuild replays.
  mutes: { pattern: 'mutes:*', fate: 'replayed' },
  mutedBy: { pattern: 'mutedby:*', fate: 'replayed' },
  blocks: { pattern: 'blocks:*', fate: 'replayed' },
  blockedBy: { pattern: 'blockedby:*', fate: 'replayed' },
  rateLimit: { pattern: 'ratelimit:*', fate: 'dropped' },
  forYouSnapshot: { pattern: 'foryou:*', fate: 'dropped' },
  forYouSnapshots: { pattern: 'foryou:*', fate: 'dropped' },
  knownSignInAddress: { pattern: 'signin:known:*', fate: 'dropped' },
  // The notifications groups replay their topics (follows, tweets, clicks) with the same handlers,
  // within NOTIFICATIONS_TTL_DAYS of now (older activity would have expired anyway).
  notifications: { pattern: 'notif:*', fate: 'replayed' },
  notificationCounts: { pattern: 'notif:*:counts', fate: 'replayed' },
  notificationActors: { pattern: 'notif:*:actors:*', fate: 'replayed' },
  // Reads are not in Kafka: after a rebuild every restored notification counts as unread again.
  notificationsRead: { pattern: 'notif:*:read', fate: 'dropped' },
} as const satisfies Record<Exclude<keyof typeof keys, 'homeChannel' | 'authorChannel' | 'tweetChannel' | 'removalsChannel' | 'notificationChannel'>, { pattern: string; fate: KeyFamilyFate }>;
