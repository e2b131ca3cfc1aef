import type { RedisClient } from './client.js';
import type { LivePublisher } from '../../domain/live/ports.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';
import { isCluster, masterNodes, mgetAcrossSlots } from './slots.js';

/** What pushFollowsChanged publishes on a home channel; entries carry no `kind` (the format from before it existed). */
export const FOLLOWS_CHANGED_PAYLOAD = JSON.stringify({ kind: 'follows-changed' });

/**
 * Publishes to pub/sub channels that have a live listener somewhere, and to no others: one MGET
 * of heartbeat keys per batch decides, so an author with a million followers and ten connected
 * ones costs ten messages.
 */
export function createLivePublisher(redis: RedisClient): LivePublisher {
  async function publishTo(targets: readonly string[], payload: string): Promise<void> {
    if (targets.length === 0) return;
    // PUBLISH names no key: a cluster takes it on any node and relays it to every node's
    // subscribers. Left to pick a node per call, two pushes to one channel could overtake each
    // other on the way; through one node they arrive in the order they were published.
    const pipeline = (isCluster(redis) ? (masterNodes(redis)[0] ?? redis) : redis).pipeline();
    for (const channel of targets) pipeline.publish(channel, payload);
    await execChecked(pipeline);
  }
  async function publish(channels: readonly string[], payload: string): Promise<number> {
    if (channels.length === 0) return 0;
    const live = await mgetAcrossSlots(redis, channels.map(keys.listening));
    const targets = channels.filter((_, i) => live[i] !== null);
    await publishTo(targets, payload);
    return targets.length;
  }
  return {
    pushHomeEntry: (userIds, entry) => publish(userIds.map(keys.homeChannel), JSON.stringify(entry)),
    publishHomeEntry: (userIds, entry) => publishTo(userIds.map(keys.homeChannel), JSON.stringify(entry)),
    pushAuthorEntry: (authorId, entry) => publish([keys.authorChannel(authorId)], JSON.stringify(entry)),
    pushTweetUpdated: (tweetId) => publish([keys.tweetChannel(tweetId)], JSON.stringify({ tweetId })),
    pushFollowsChanged: (userIds) => publish(userIds.map(keys.homeChannel), FOLLOWS_CHANGED_PAYLOAD),
    pushEntryRemoved: (removal) => publish([keys.removalsChannel()], JSON.stringify(removal)),
    pushNotification: (userId, group) => publish([keys.notificationChannel(userId)], JSON.stringify({ group })),
  };
}
