import type { TopicName } from '../events.js';

/** The broker as the record of events, and the service's Redis key space: what `rebuild` needs. Adapters implement these; only the composition root knows which. */

/** A message as a topic stores it, not yet decoded. */
export interface LoggedMessage {
  /** Physical topic name. */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Offsets [low, high) of one partition at the moment they were read: what a replay reads. */
export interface PartitionRange {
  partition: number;
  low: string;
  high: string;
}

/**
 * The broker seen as the record of events, for `rebuild`. Topics and groups are the logical
 * names; the adapter applies the deployment's namespace.
 */
export interface EventLog {
  /** Those of `groups` that have members right now, with their state and member count. */
  activeGroups(groups: readonly string[]): Promise<{ group: string; state: string; members: number }[]>;
  /** Every partition's [low, high) now. */
  watermarks(topic: TopicName): Promise<PartitionRange[]>;
  /**
   * Calls `onMessage` once for every offset in `ranges`, one message at a time, each partition in
   * order, and resolves after the last; later messages are not delivered. Rejects with the first
   * error `onMessage` throws. Commits nothing to any group of the deployment.
   */
  read(
    topic: TopicName,
    ranges: readonly PartitionRange[],
    onMessage: (message: LoggedMessage, heartbeat: () => Promise<void>) => Promise<void>,
  ): Promise<void>;
  /** Sets `group`'s committed offsets on `topic`. Rejects while the group has members. */
  commitOffsets(group: string, topic: TopicName, offsets: readonly { partition: number; offset: string }[]): Promise<void>;
  /** Produces a copy of `message` with `headers` added to `group`'s retry topic for `topic`. */
  handToRetry(group: string, topic: TopicName, message: LoggedMessage, headers: Record<string, string>): Promise<void>;
}

/** The service's own keys in Redis (the families of keys.ts), on every node. For `rebuild`. */
export interface Keyspace {
  /**
   * Deletes every key of the service's families, leaving any other key alone; returns how many it
   * deleted. `onScanned` reports keys looked at so far against the nodes' total. Keys written
   * while it runs may survive it.
   */
  wipe(onScanned?: (scanned: number, total: number) => void): Promise<number>;
  /** How many keys of the service's families exist. */
  count(): Promise<number>;
}
