/** The service's Redis key space, as `rebuild` needs it. An adapter implements it; only the composition root knows which. */

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
