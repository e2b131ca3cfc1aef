import type { EntryRemoval, HomeChannelMessage, HomeEntryPush, LiveFeed } from '../../domain/live/ports.js';
import { isSnowflake } from '../../domain/snowflake.js';
import { parseGroupKey } from '../../domain/notifications/grouping.js';
import type { RedisClient } from './client.js';
import type { Logger } from '../../observability/logger.js';
import { keys } from './keys.js';
import { FOLLOWS_CHANGED_PAYLOAD } from './live-publisher.js';
import { pipelineAcrossSlots } from './slots.js';

export interface HubOptions {
  /** How long a heartbeat key lives; refreshed every third of it while listened to. */
  heartbeatTtlSeconds: number;
}

/**
 * One Redis subscriber connection per API instance with ref-counted channels (Mastodon's
 * streaming server). While a channel has local listeners, a heartbeat key with a TTL tells
 * publishers to bother; when this instance dies, the keys expire by themselves.
 */
export function createLiveFeed(redis: RedisClient, logger: Logger, options: HubOptions): LiveFeed {
  const subscriber = redis.duplicate();
  subscriber.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis subscriber connection error'));
  /** A subscribed channel: its local listeners, and the SUBSCRIBE + first heartbeat every listener waits for. */
  interface Channel {
    listeners: Set<(payload: string) => void>;
    ready: Promise<void>;
  }
  const channels = new Map<string, Channel>();

  subscriber.on('message', (channel: string, payload: string) => {
    for (const listener of channels.get(channel)?.listeners ?? []) listener(payload);
  });

  // Pub/sub does not replay what was published while the connection was down. Once it is back and
  // subscribed again (ioredis resubscribes; ours comes after it on the same connection), every home
  // listener is told to resync: its stream reads what it missed from the timeline.
  const homeListeners = new Set<(message: HomeChannelMessage) => void>();
  let connectedBefore = false;
  subscriber.on('ready', () => {
    if (!connectedBefore) {
      connectedBefore = true;
      return;
    }
    const names = [...channels.keys()];
    if (names.length === 0) return;
    logger.info({ channels: names.length }, 'redis subscriber reconnected: resyncing live home streams');
    subscriber
      .subscribe(...names)
      .then(() => beat(names))
      .then(() => {
        for (const listener of homeListeners) listener({ kind: 'resync', reason: 'reconnected' });
      })
      .catch((err: unknown) => logger.warn({ err }, 'resubscribing after a reconnect failed'));
  });

  const beat = (names: readonly string[]) => {
    if (names.length === 0) return Promise.resolve();
    return pipelineAcrossSlots(redis, names.map(keys.listening), (pipeline, key) => {
      pipeline.set(key, '1', 'EX', options.heartbeatTtlSeconds);
    }).then(() => undefined);
  };
  const timer = setInterval(
    () => {
      beat([...channels.keys()]).catch((err: unknown) => logger.warn({ err }, 'heartbeat failed'));
    },
    (options.heartbeatTtlSeconds * 1000) / 3,
  );
  timer.unref();

  async function listen(name: string, onMessage: (payload: string) => void): Promise<() => void> {
    let channel = channels.get(name);
    if (!channel) {
      // Subscribe before announcing the heartbeat, so no publish can find the key and miss us.
      const created: Channel = { listeners: new Set(), ready: subscriber.subscribe(name).then(() => beat([name])) };
      channels.set(name, created);
      created.ready.catch(() => {
        if (channels.get(name) === created) channels.delete(name);
      });
      channel = created;
    }
    // A listener joining while the first one's SUBSCRIBE is in flight waits for it as well: callers
    // rely on hearing everything published once this resolves (live catch-ups read right after).
    await channel.ready;
    const joined = channel;
    joined.listeners.add(onMessage);
    return () => {
      if (!joined.listeners.delete(onMessage) || joined.listeners.size > 0 || channels.get(name) !== joined) return;
      channels.delete(name);
      // Another instance may still listen, so the heartbeat key is left to expire, not deleted.
      subscriber.unsubscribe(name).catch((err: unknown) => logger.warn({ err, channel: name }, 'unsubscribe failed'));
    };
  }

  return {
    async home(userId, onMessage) {
      const stop = await listen(keys.homeChannel(userId), (payload) => {
        const message = parseHomeMessage(payload);
        if (message) onMessage(message);
        else logger.warn({ userId }, 'ignoring malformed home push');
      });
      homeListeners.add(onMessage);
      return () => {
        homeListeners.delete(onMessage);
        stop();
      };
    },
    author(authorId, onEntry) {
      return listen(keys.authorChannel(authorId), (payload) => {
        const entry = parseEntry(payload);
        if (entry) onEntry(entry);
        else logger.warn({ authorId }, 'ignoring malformed celebrity push');
      });
    },
    tweet: (tweetId, onUpdate) => listen(keys.tweetChannel(tweetId), () => onUpdate()),
    removals: (onRemoved) =>
      listen(keys.removalsChannel(), (payload) => {
        const removal = parseRemoval(payload);
        if (removal) onRemoved(removal);
        else logger.warn('ignoring a malformed entry removal');
      }),
    notifications: (userId, onGroup) =>
      listen(keys.notificationChannel(userId), (payload) => {
        const group = parseNotificationPush(payload);
        if (group) onGroup(group);
        else logger.warn({ userId }, 'ignoring a malformed notification push');
      }),
    channelCount: () => channels.size,
    async stop() {
      clearInterval(timer);
      channels.clear();
      homeListeners.clear();
      subscriber.disconnect();
    },
  };
}

function parseHomeMessage(payload: string): HomeChannelMessage | null {
  if (payload === FOLLOWS_CHANGED_PAYLOAD) return { kind: 'resync', reason: 'follows-changed' };
  const entry = parseEntry(payload);
  return entry ? { kind: 'entry', entry } : null;
}

/** Pub/sub payloads are a boundary too: check the shape before anything reaches a client. */
function parseEntry(payload: string): HomeEntryPush | null {
  try {
    const value = JSON.parse(payload) as Partial<HomeEntryPush>;
    const t = value.tweet;
    if (
      typeof value.producedAt !== 'number' ||
      !t ||
      typeof t.id !== 'string' ||
      typeof t.authorId !== 'string' ||
      typeof t.text !== 'string'
    ) {
      return null;
    }
    const r = t.replyTo;
    const replyTo = r && typeof r.id === 'string' && typeof r.authorId === 'string' ? { replyTo: { id: r.id, authorId: r.authorId } } : {};
    return {
      tweet: { id: t.id, authorId: t.authorId, text: t.text, createdAt: String(t.createdAt), ...replyTo },
      producedAt: value.producedAt,
    };
  } catch {
    return null;
  }
}

function parseNotificationPush(payload: string): string | null {
  try {
    const value = JSON.parse(payload) as { group?: unknown };
    return typeof value.group === 'string' && parseGroupKey(value.group) !== null ? value.group : null;
  } catch {
    return null;
  }
}

function parseRemoval(payload: string): EntryRemoval | null {
  try {
    const value = JSON.parse(payload) as Partial<EntryRemoval>;
    if (typeof value.tweetId !== 'string' || !isSnowflake(value.tweetId) || typeof value.authorId !== 'string' || value.reason !== 'flagged') return null;
    return { tweetId: value.tweetId, authorId: value.authorId, reason: value.reason };
  } catch {
    return null;
  }
}
