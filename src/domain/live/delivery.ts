import { comparePositions, type Position } from '../cursor.js';
import { snowflakeTime } from '../snowflake.js';

/** Where a pushed entry sits in the timeline: at its tweet's time, as fan-out writes it (TimelineStore). */
export function pushedEntryPosition(tweetId: string): Position {
  return { score: snowflakeTime(tweetId), member: tweetId };
}

/**
 * What one live home-timeline stream has sent, and so what it may still send and which cursor
 * each edge carries. Pure bookkeeping, one per subscription:
 *
 * - an entry is sent at most once (by tweet id; the last `memory` ids are remembered, enough for
 *   a whole catch-up plus a full queue of live pushes arriving meanwhile);
 * - nothing at or before the floor (the cursor the client resumed from) is sent;
 * - the frontier is the newest position sent so far. Each edge carries the frontier as its cursor,
 *   not necessarily its own position: an entry that arrives after a newer one (fan-out order is
 *   per author, not global) would otherwise hand the client a cursor from which resuming repeats
 *   the newer ones.
 */
export class DeliveryLedger {
  /** Remembered ids: true when the entry was sent to the client, false when it was handled without sending. */
  private readonly sent = new Map<string, boolean>();
  private readonly order: string[] = [];
  private newest: Position | null = null;

  constructor(
    /** The cursor the stream resumed from; null when it started without one. */
    private readonly floor: Position | null,
    /** How many sent ids are remembered. */
    private readonly memory: number,
  ) {}

  /** Whether the entry may be sent: `send`, or why not (sent before, or at or before the floor). */
  verdict(id: string, position: Position): 'send' | 'repeat' | 'behind-floor' {
    if (this.sent.has(id)) return 'repeat';
    return this.floor === null || comparePositions(position, this.floor) > 0 ? 'send' : 'behind-floor';
  }

  /** Records the entry as sent; returns the frontier after it (the cursor its edge carries). */
  record(id: string, position: Position): Position {
    this.remember(id);
    this.sent.set(id, true);
    if (this.newest === null || comparePositions(position, this.newest) > 0) this.newest = position;
    return this.newest;
  }

  /** Remembers an id as handled without sending it (e.g. a tweet hidden from this viewer), so a push of it is not sent either. */
  remember(id: string): void {
    if (this.sent.has(id)) return;
    this.sent.set(id, false);
    this.order.push(id);
    if (this.order.length > this.memory) this.sent.delete(this.order.shift()!);
  }

  /** Whether the entry was sent to the client (as far as memory reaches). */
  delivered(id: string): boolean {
    return this.sent.get(id) === true;
  }

  /** Marks a sent entry as taken back (its removal was announced): still never sent again. */
  retract(id: string): void {
    if (this.sent.has(id)) this.sent.set(id, false);
  }

  /** The newest position sent, null before the first. */
  get frontier(): Position | null {
    return this.newest;
  }

  /**
   * Where a read for entries the stream may have missed starts: after the frontier, but never
   * before the floor, or before `start` (when the stream began) for a stream without one.
   */
  readFrom(start: Position): Position {
    const base = this.floor ?? start;
    return this.newest !== null && comparePositions(this.newest, base) > 0 ? this.newest : base;
  }
}
