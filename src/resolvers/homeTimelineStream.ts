import { encodeCursor, type Position } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import { DeliveryLedger, pushedEntryPosition } from '../domain/live/delivery.js';
import type { HomeChannelMessage, HomeEntryPush } from '../domain/live/ports.js';
import { isSnowflake } from '../domain/snowflake.js';
import { isVisibleTo, type IdPage, type Tweet } from '../domain/types.js';
import type { LiveConnection, RequestContext } from '../graphql/context.js';
import { LiveQueue } from '../graphql/live-queue.js';

/** One edge of `subscription { homeTimeline }`, as the resolver sends it. */
export interface HomeStreamItem {
  tweet: Tweet;
  /** Where to resume from after this edge: the newest position the subscription has sent. */
  cursor: string;
  /** When a pushed entry's tweet was produced (post → push latency); null for entries read from the timeline. */
  producedAt: number | null;
}

/** What the stream's queue holds: pushes (and from which celebrity's channel) and resync requests. */
type StreamEvent =
  | { kind: 'entry'; entry: HomeEntryPush; celebrity: string | null }
  | Extract<HomeChannelMessage, { kind: 'resync' }>;

/** How often a catch-up looks again for tweets the tweet-store group has not stored yet. */
const MISSING_TWEET_POLL_MS = 50;

/**
 * Opens a live home-timeline stream for the viewer: catch-up, then live, with no gap and no
 * repeat between them.
 *
 * 1. Listen first: the viewer's home channel, then the channels of the celebrities they follow.
 *    Pushes from now on are queued (bounded: WS_QUEUE_CAPACITY, then the client is dropped).
 * 2. With `after`: read the merged timeline's entries newer than it, oldest first, at most
 *    LIVE_CATCH_UP_LIMIT (more: CURSOR_TOO_OLD, nothing is sent). Every entry that reached the
 *    timeline before this read is in it; every one that reaches it later is pushed after step 1,
 *    because fan-out writes a timeline before it publishes (for celebrities, the author's list).
 * 3. Send the catch-up, then the queued and later pushes, skipping every entry already sent (by
 *    tweet id) and anything at or before `after`.
 * 4. On a resync message (the viewer's follows, mutes or blocks changed, or this instance's pub/sub
 *    connection came back), listen to the celebrities followed now, drop the others, re-read who is
 *    hidden from the viewer, and read the entries newer than the newest one sent, as in step 2:
 *    what a follow merged in, or pushes missed while disconnected.
 *
 * Entries by authors the viewer muted or blocked, or who blocked the viewer, are never sent.
 *
 * Each edge's cursor is the stream's frontier (DeliveryLedger). Rejects with CURSOR_TOO_OLD as
 * above, having stopped listening; a Redis failure rejects while opening and later ends the stream
 * with an error (the client resumes from its last cursor). Counted in the active-subscriptions
 * gauge once listening, so a caller that sees the gauge rise knows pushes from then on are heard.
 */
export async function openHomeStream(
  ctx: RequestContext,
  live: LiveConnection,
  viewerId: string,
  after: Position | null,
): Promise<AsyncIterableIterator<HomeStreamItem>> {
  const stream = new HomeStream(ctx, live, viewerId, after);
  try {
    await stream.start();
  } catch (err) {
    await stream.return();
    throw err;
  }
  return stream;
}

class HomeStream implements AsyncIterableIterator<HomeStreamItem> {
  private readonly queue: LiveQueue<StreamEvent>;
  private readonly ledger: DeliveryLedger;
  /** Where a stream without `after` began: resyncs never reach further back. */
  private readonly begin: Position = { score: Date.now(), member: '' };
  private readonly limit: number;
  private readonly pending: HomeStreamItem[] = [];
  private readonly celebrities = new Map<string, () => void>();
  /** Authors muted or blocked (either way): read at the start and on every resync (a mute or block sends one). */
  private hidden: ReadonlySet<string> = new Set();
  private stopHome: (() => void) | undefined;
  private closed = false;
  private counted = false;

  constructor(
    private readonly ctx: RequestContext,
    private readonly live: LiveConnection,
    private readonly viewerId: string,
    private readonly after: Position | null,
  ) {
    this.limit = ctx.services.limits.liveCatchUpLimit;
    // Remembers a whole catch-up, a resync and a full queue: enough to recognise every repeat.
    this.ledger = new DeliveryLedger(after, 2 * this.limit + live.queueCapacity + 1024);
    this.queue = new LiveQueue<StreamEvent>(live.queueCapacity, () => this.shutdown());
  }

  async start(): Promise<void> {
    const { feed } = this.live;
    const stopHome = await feed.home(this.viewerId, (message) =>
      this.enqueue(message.kind === 'entry' ? { kind: 'entry', entry: message.entry, celebrity: null } : message),
    );
    if (this.closed) return stopHome();
    this.stopHome = stopHome;
    // After the home channel: a follow recorded from now on also announces itself there (resync).
    await this.refresh();
    if (this.closed) return;
    this.live.metrics.activeSubscriptions.inc();
    this.counted = true;
    if (this.after === null) return;
    const page = await this.ctx.services.home.entriesAfter(this.viewerId, this.after, this.limit);
    if (page.hasNextPage) {
      throw new DomainError(
        'CURSOR_TOO_OLD',
        `more than ${this.limit} entries are newer than this cursor: query homeTimeline and subscribe with its newest edge's cursor (or without one)`,
        'after',
        { extensions: { limit: this.limit } },
      );
    }
    await this.sendRead(page);
  }

  async next(): Promise<IteratorResult<HomeStreamItem>> {
    try {
      for (;;) {
        if (this.closed) return { value: undefined, done: true };
        const item = this.pending.shift();
        if (item) return { value: item, done: false };
        const event = await this.queue.next();
        if (event.done) return { value: undefined, done: true };
        if (event.value.kind === 'entry') this.onPush(event.value.entry, event.value.celebrity);
        else await this.resync(event.value.reason);
      }
    } catch (err) {
      // Neither graphql-js nor graphql-ws calls return() when next() rejects: stop listening here.
      this.queue.close();
      throw err;
    }
  }

  /** Ends the stream at once, also while `next` waits (graphql-ws calls it on complete and on close). */
  return(): Promise<IteratorResult<HomeStreamItem>> {
    this.queue.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private enqueue(event: StreamEvent): void {
    if (this.queue.push(event)) return;
    this.queue.close();
    this.live.dropSlowClient();
  }

  /** Runs once, when the queue closes (return, a slow client, a failed start): stops listening. */
  private shutdown(): void {
    this.closed = true;
    this.pending.length = 0;
    this.stopHome?.();
    for (const stop of this.celebrities.values()) stop();
    this.celebrities.clear();
    if (this.counted) this.live.metrics.activeSubscriptions.dec();
  }

  private onPush(entry: HomeEntryPush, celebrity: string | null): void {
    // Unfollowed since it was queued: the refresh stopped listening, this one was already on its way.
    if (celebrity !== null && !this.celebrities.has(celebrity)) return;
    const { tweet } = entry;
    if (!isSnowflake(tweet.id)) {
      this.live.logger.warn({ viewerId: this.viewerId, tweetId: tweet.id }, 'ignoring a push with a malformed tweet id');
      return;
    }
    if (this.hidden.has(tweet.authorId)) return;
    const position = pushedEntryPosition(tweet.id);
    const verdict = this.ledger.verdict(tweet.id, position);
    if (verdict === 'repeat') this.live.metrics.repeatsSkipped.inc();
    if (verdict !== 'send') return;
    this.pending.push({ tweet, cursor: encodeCursor(this.ledger.record(tweet.id, position)), producedAt: entry.producedAt });
  }

  /** The celebrities to listen to and the authors to leave out, as they are now. */
  private async refresh(): Promise<void> {
    const [celebrities, hidden] = await Promise.all([
      this.ctx.services.home.followedCelebrities(this.viewerId),
      this.ctx.services.relationStore.hiddenFrom(this.viewerId),
    ]);
    this.hidden = hidden;
    await this.listenToCelebrities(celebrities);
  }

  private async resync(reason: string): Promise<void> {
    await this.refresh();
    if (this.closed) return;
    const from = this.ledger.readFrom(this.begin);
    const page = await this.ctx.services.home.entriesAfter(this.viewerId, from, this.limit);
    if (page.hasNextPage) {
      // Only what a follow merged in can be this much; the newest of it still arrives if pushed.
      this.live.logger.info({ viewerId: this.viewerId, reason, limit: this.limit }, 'resync found more entries than a catch-up sends');
    }
    await this.sendRead(page);
  }

  /** Listens to exactly these celebrities' channels: new ones are heard from when this resolves. */
  private async listenToCelebrities(authorIds: readonly string[]): Promise<void> {
    const wanted = new Set(authorIds);
    for (const [authorId, stop] of this.celebrities) {
      if (wanted.has(authorId)) continue;
      stop();
      this.celebrities.delete(authorId);
    }
    const added = [...wanted].filter((authorId) => !this.celebrities.has(authorId));
    await Promise.all(
      added.map(async (authorId) => {
        const stop = await this.live.feed.author(authorId, (entry) => this.enqueue({ kind: 'entry', entry, celebrity: authorId }));
        if (this.closed) stop();
        else this.celebrities.set(authorId, stop);
      }),
    );
  }

  /** Queues the entries of a timeline read (oldest first) that this stream has not sent and may show. */
  private async sendRead(page: IdPage): Promise<void> {
    if (page.ids.length === 0) return;
    const tweets = await this.loadStored(page.ids);
    if (this.closed) return;
    page.ids.forEach((id, i) => {
      const position = { score: page.scores[i]!, member: id };
      const tweet = tweets[i];
      if (this.ledger.verdict(id, position) !== 'send') return;
      if (!tweet) {
        this.live.metrics.entriesLeftOut.inc();
        this.live.logger.warn({ viewerId: this.viewerId, tweetId: id }, 'catch-up left out an entry whose tweet is not readable');
        return;
      }
      if (!isVisibleTo(tweet, this.viewerId) || this.hidden.has(tweet.authorId)) return this.ledger.remember(id);
      this.live.metrics.catchUpEntries.inc();
      this.pending.push({ tweet, cursor: encodeCursor(this.ledger.record(id, position)), producedAt: null });
    });
  }

  /**
   * The tweets of timeline entries, waiting up to LIVE_CATCH_UP_WAIT_MS for those not stored yet:
   * the fanout and tweet-store groups run independently, so an entry can be in a timeline before
   * its tweet is readable, and a catch-up that skipped it would lose it (its push may be long gone).
   * Deleted tweets stay null. A failed read throws: sending the rest would leave a gap.
   */
  private async loadStored(ids: readonly string[]): Promise<(Tweet | null)[]> {
    const deadline = Date.now() + this.ctx.services.limits.liveCatchUpWaitMs;
    const tweets = await this.load(ids);
    for (;;) {
      const missing = ids.filter((_, i) => tweets[i] === null);
      if (missing.length === 0 || Date.now() >= deadline || this.closed) return tweets;
      await new Promise((resolve) => setTimeout(resolve, MISSING_TWEET_POLL_MS));
      const found = await this.load(missing);
      let next = 0;
      ids.forEach((_, i) => {
        if (tweets[i] === null) tweets[i] = found[next++] ?? null;
      });
    }
  }

  /** Through the operation's loader, not kept in it: a subscription lives long, a catch-up is big. */
  private async load(ids: readonly string[]): Promise<(Tweet | null)[]> {
    const loader = this.ctx.loaders.tweet;
    const loaded = await loader.loadMany(ids);
    for (const id of ids) loader.clear(id);
    return loaded.map((tweet) => {
      if (tweet instanceof Error) throw tweet;
      return tweet;
    });
  }
}
