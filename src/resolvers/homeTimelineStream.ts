import { encodeCursor, type Position } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import { DeliveryLedger, pushedEntryPosition } from '../domain/live/delivery.js';
import type { EntryRemoval, EntryRemovalReason, HomeChannelMessage, HomeEntryPush } from '../domain/live/ports.js';
import { isSnowflake } from '../domain/snowflake.js';
import { isVisibleTo, type IdPage, type Tweet } from '../domain/types.js';
import type { LiveConnection, RequestContext } from '../graphql/context.js';
import { LiveQueue } from '../graphql/live-queue.js';
import { withStoredAuthors } from '../graphql/whole-records.js';

/** One edge of `subscription { homeTimeline }`, as the resolver sends it. */
export interface HomeStreamItem {
  tweet: Tweet;
  /** Where to resume from after this edge: the newest position the subscription has sent. */
  cursor: string;
  /** When a pushed entry's tweet was produced (post → push latency); null for entries read from the timeline. */
  producedAt: number | null;
  /** For an entry read from the timeline that is there through reposts: the followee named as the first reposter. */
  repostedById?: string;
}

/** Word that an entry the stream sent earlier must go (homeTimelineUpdates only). */
export interface HomeStreamRemoval {
  removed: { tweetId: string; reason: EntryRemovalReason };
}

/** What `subscription { homeTimelineUpdates }` sends: edges and removals. */
export type HomeStreamUpdate = HomeStreamItem | HomeStreamRemoval;

export interface HomeStreamOptions {
  /**
   * Announce removals: when moderation flags a tweet this stream already sent (fan-out does not
   * wait for the verdict), send a removal for it. Off for `homeTimeline`, whose clients receive
   * edges only (flagged tweets are still never sent to them once the verdict is stored).
   */
  removals: boolean;
}

/** What the stream's queue holds: pushes (and from which celebrity's channel) and resync requests. */
type StreamEvent =
  | { kind: 'entry'; entry: HomeEntryPush; celebrity: string | null }
  | { kind: 'removed'; removal: EntryRemoval }
  | Extract<HomeChannelMessage, { kind: 'resync' }>;

/** How often a catch-up looks again for tweets the tweet-store group has not stored yet. */
const MISSING_TWEET_POLL_MS = 50;

/**
 * The latest entries a removals stream sent whose verdicts it checks again after its instance's
 * pub/sub connection came back (a removal published meanwhile was lost with it).
 */
const RECHECKED_ON_RECONNECT = 256;

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
 * Pushes are checked at delivery: a tweet whose stored verdict flags it is not sent (but to its
 * author). With `removals`, the stream also listens to the deployment's removal channel and, for
 * a tweet it sent that moderation flagged afterwards, sends a removal (HomeStreamRemoval); after a
 * `reconnected` resync it checks the verdicts of the last RECHECKED_ON_RECONNECT entries it sent,
 * as removals published while pub/sub was down are lost.
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
): Promise<AsyncIterableIterator<HomeStreamItem>>;
export async function openHomeStream(
  ctx: RequestContext,
  live: LiveConnection,
  viewerId: string,
  after: Position | null,
  options: HomeStreamOptions,
): Promise<AsyncIterableIterator<HomeStreamUpdate>>;
export async function openHomeStream(
  ctx: RequestContext,
  live: LiveConnection,
  viewerId: string,
  after: Position | null,
  options: HomeStreamOptions = { removals: false },
): Promise<AsyncIterableIterator<HomeStreamUpdate>> {
  const stream = new HomeStream(ctx, live, viewerId, after, options);
  try {
    await stream.start();
  } catch (err) {
    await stream.return();
    throw err;
  }
  return stream;
}

class HomeStream implements AsyncIterableIterator<HomeStreamUpdate> {
  private readonly queue: LiveQueue<StreamEvent>;
  private readonly ledger: DeliveryLedger;
  /** Where a stream without `after` began: resyncs never reach further back. */
  private readonly begin: Position = { score: Date.now(), member: '' };
  private readonly limit: number;
  private readonly pending: HomeStreamUpdate[] = [];
  private readonly celebrities = new Map<string, () => void>();
  /** The latest entries sent to the client, by tweet id, with their authors (removals streams: rechecked on reconnect). */
  private readonly recentlySent = new Map<string, string>();
  /** Authors muted or blocked (either way): read at the start and on every resync (a mute or block sends one). */
  private hidden: ReadonlySet<string> = new Set();
  private stopHome: (() => void) | undefined;
  private stopRemovals: (() => void) | undefined;
  private closed = false;
  private counted = false;

  constructor(
    private readonly ctx: RequestContext,
    private readonly live: LiveConnection,
    private readonly viewerId: string,
    private readonly after: Position | null,
    private readonly options: HomeStreamOptions,
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
    if (this.options.removals) {
      const stopRemovals = await feed.removals((removal) => this.enqueue({ kind: 'removed', removal }));
      if (this.closed) return stopRemovals();
      this.stopRemovals = stopRemovals;
    }
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

  async next(): Promise<IteratorResult<HomeStreamUpdate>> {
    try {
      for (;;) {
        if (this.closed) return { value: undefined, done: true };
        const item = this.pending.shift();
        if (item) return { value: item, done: false };
        const event = await this.queue.next();
        if (event.done) return { value: undefined, done: true };
        if (event.value.kind === 'entry') await this.onPush(event.value.entry, event.value.celebrity);
        else if (event.value.kind === 'removed') this.onRemoved(event.value.removal);
        else await this.resync(event.value.reason);
      }
    } catch (err) {
      // Neither graphql-js nor graphql-ws calls return() when next() rejects: stop listening here.
      this.queue.close();
      throw err;
    }
  }

  /** Ends the stream at once, also while `next` waits (graphql-ws calls it on complete and on close). */
  return(): Promise<IteratorResult<HomeStreamUpdate>> {
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
    this.stopRemovals?.();
    for (const stop of this.celebrities.values()) stop();
    this.celebrities.clear();
    if (this.counted) this.live.metrics.activeSubscriptions.dec();
  }

  private async onPush(entry: HomeEntryPush, celebrity: string | null): Promise<void> {
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
    // The delivery check: the push carries no verdict, and one may have been stored since fan-out.
    if (tweet.authorId !== this.viewerId && (await this.live.verdicts.flagged(tweet.id))) return this.ledger.remember(tweet.id);
    if (this.closed) return;
    this.pending.push({ tweet, cursor: encodeCursor(this.ledger.record(tweet.id, position)), producedAt: entry.producedAt });
    this.sent(tweet);
  }

  /** Remembers a sent entry's author for the reconnect recheck (removals streams only). */
  private sent(tweet: Tweet): void {
    if (!this.options.removals || tweet.authorId === this.viewerId) return;
    this.recentlySent.set(tweet.id, tweet.authorId);
    if (this.recentlySent.size > RECHECKED_ON_RECONNECT) this.recentlySent.delete(this.recentlySent.keys().next().value!);
  }

  /** After pub/sub came back: the removals it may have carried meanwhile, from the stored verdicts. */
  private async recheckSent(): Promise<void> {
    const sent = [...this.recentlySent].filter(([id]) => this.ledger.delivered(id));
    const flagged = await Promise.all(sent.map(([id]) => this.live.verdicts.flagged(id)));
    sent.forEach(([tweetId, authorId], i) => {
      if (flagged[i]) this.onRemoved({ tweetId, authorId, reason: 'flagged' });
    });
  }

  /** A tweet moderation flagged: if this stream sent it to someone other than its author, say it must go. */
  private onRemoved(removal: EntryRemoval): void {
    this.live.verdicts.remember(removal.tweetId, true);
    if (removal.authorId === this.viewerId || !this.ledger.delivered(removal.tweetId)) return;
    this.ledger.retract(removal.tweetId);
    this.recentlySent.delete(removal.tweetId);
    this.pending.push({ removed: { tweetId: removal.tweetId, reason: removal.reason } });
  }

  /** The celebrities to listen to and the authors to leave out, as they are now. */
  private async refresh(): Promise<void> {
    const [celebrities, hidden] = await Promise.all([
      this.ctx.services.home.followedCelebrities(this.viewerId),
      this.ctx.services.home.hiddenFrom(this.viewerId),
    ]);
    this.hidden = hidden;
    await this.listenToCelebrities(celebrities);
  }

  private async resync(reason: string): Promise<void> {
    if (reason === 'reconnected' && this.options.removals) await this.recheckSent();
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
    // A tweet whose author is missing is left out like an unreadable one (and reported).
    const [loaded, reposters] = await Promise.all([this.loadStored(page.ids), this.ctx.services.home.repostersOf(page)]);
    // As homeTimeline pages do: entries there through reposts name a followee who reposted them, or are left out.
    const [tweets, reposts] = await Promise.all([
      withStoredAuthors(this.ctx, loaded),
      this.ctx.services.home.repostAttribution(this.viewerId, loaded, reposters, this.hidden),
    ]);
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
      if (!isVisibleTo(tweet, this.viewerId) || this.hidden.has(tweet.authorId) || reposts.retracted.has(id)) return this.ledger.remember(id);
      this.live.metrics.catchUpEntries.inc();
      const repostedById = reposts.repostedBy.get(id);
      this.pending.push({ tweet, cursor: encodeCursor(this.ledger.record(id, position)), producedAt: null, ...(repostedById ? { repostedById } : {}) });
      this.sent(tweet);
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
