import type { KafkaMessage } from './message.js';

/**
 * The subscriber port (Watermill's): something that delivers Kafka messages, each partition in
 * order, to one callback. Three adapters implement it — the live consumer group
 * (group-subscriber.ts), a bounded replay of a topic range (replay-subscriber.ts) and a drain of
 * a topic up to its end (drain-subscriber.ts) — and the consumer router runs the same handlers
 * over any of them.
 */

/** What the callback may do with the message in hand. */
export interface DeliveryControls {
  /** Tells the group coordinator this member is alive; call during long work. */
  heartbeat(): Promise<void>;
  /**
   * Leaves the message unhandled and stops fetching its partition until `at` (unix ms); the message
   * is delivered again then. Other partitions go on. Subscribers that cannot wait say so in
   * `canPause` and treat the message as handled.
   */
  pauseUntil(at: number): void;
  readonly canPause: boolean;
  /**
   * Leaves the message unhandled without a time: its partition stops here, and the message is
   * delivered again after a restart or rebalance (a consumer shutting down mid-message).
   */
  release(): void;
}

/**
 * Resolves when the message is done with (its offset may then be committed); rejects to leave it
 * unhandled, which the subscriber treats as fatal (bounded reads stop with that error, the live
 * group crashes and restarts). The router never lets a handler's error get here.
 */
export type MessageCallback = (message: KafkaMessage, controls: DeliveryControls) => Promise<void>;

export type SubscriptionState = 'starting' | 'running' | 'finished' | 'stopped' | 'crashed';

export interface Subscription {
  /** `running` once a live group has its partitions; `crashed` when it gave up (see `failure`). */
  state(): SubscriptionState;
  /** Why a crashed subscription stopped. */
  failure(): Error | undefined;
  /** Settles when a bounded subscription delivered everything (or failed), or a live one stopped. */
  readonly done: Promise<void>;
  /** Stops fetching, waits for the message in hand, commits what was handled, leaves. Idempotent. */
  stop(): Promise<void>;
}

export interface Subscriber {
  /** Starts delivering; resolves once the subscription is set up (not when it is done). */
  subscribe(onMessage: MessageCallback): Promise<Subscription>;
}
