import type { HomeEntryPush, LiveFeed } from '../../domain/live/ports.js';
import type { RedisClient } from './client.js';
import type { Logger } from '../../observability/logger.js';
import { keys } from './keys.js';
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
  const listeners = new Map<string, Set<(payload: string) => void>>();

  subscriber.on('message', (channel: string, payload: string) => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  });

  const beat = (channels: readonly string[]) => {
    if (channels.length === 0) return Promise.resolve();
    return pipelineAcrossSlots(redis, channels.map(keys.listening), (pipeline, key) => {
      pipeline.set(key, '1', 'EX', options.heartbeatTtlSeconds);
    }).then(() => undefined);
  };
  const timer = setInterval(
    () => {
      beat([...listeners.keys()]).catch((err: unknown) => logger.warn({ err }, 'heartbeat failed'));
    },
    (options.heartbeatTtlSeconds * 1000) / 3,
  );
  timer.unref();

  async function listen(channel: string, onMessage: (payload: string) => void): Promise<() => void> {
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
      // Subscribe before announcing the heartbeat, so no publish can find the key and miss us.
      await subscriber.subscribe(channel);
      await beat([channel]);
    }
    set.add(onMessage);
    return () => {
      const current = listeners.get(channel);
      if (!current?.delete(onMessage) || current.size > 0) return;
      listeners.delete(channel);
      // Another instance may still listen, so the heartbeat key is left to expire, not deleted.
      subscriber.unsubscribe(channel).catch((err: unknown) => logger.warn({ err, channel }, 'unsubscribe failed'));
    };
  }

  return {
    async home(userId, celebrities, onEntry) {
      const onPayload = (payload: string) => {
        const entry = parseEntry(payload);
        if (entry) onEntry(entry);
        else logger.warn({ userId }, 'ignoring malformed home push');
      };
      const channels = [keys.homeChannel(userId), ...celebrities.map(keys.authorChannel)];
      const stops = await Promise.all(channels.map((channel) => listen(channel, onPayload)));
      return () => stops.forEach((stop) => stop());
    },
    tweet: (tweetId, onUpdate) => listen(keys.tweetChannel(tweetId), () => onUpdate()),
    channelCount: () => listeners.size,
    async stop() {
      clearInterval(timer);
      listeners.clear();
      subscriber.disconnect();
    },
  };
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
    return {
      tweet: { id: t.id, authorId: t.authorId, text: t.text, createdAt: String(t.createdAt) },
      producedAt: value.producedAt,
    };
  } catch {
    return null;
  }
}
