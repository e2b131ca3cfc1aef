import type { TopicNaming } from '../../adapters/kafka/topics.js';
import type { KafkaPublisher } from '../../adapters/kafka/publisher.js';
import { isRetriable, RetryLaterError } from '../../domain/errors.js';
import type { OutgoingMessage, TopicName } from '../../domain/events.js';
import type { ConsumerDefinition } from '../definition.js';
import { DEFAULT_RETRY_POLICY } from '../failure-policy.js';
import type { ConsumerGroupName } from '../index.js';
import { decode } from '../middleware/decode.js';
import { runOutgoingInline, replayOutcome } from '../middleware/replay.js';
import { retryInPlace } from '../middleware/retry-in-place.js';
import { compose, type Incoming, type Step } from '../middleware/types.js';
import { handlerStep } from '../router.js';
import type { restorers } from './restorers.js';

/**
 * Topics in the order a rebuild replays them: users before the follows that name them, mutes and
 * blocks and the follow graph before the tweets fanned out along them (fan-out skips a muter for
 * tweets posted after the mute, by the times the relations carry), tweets before the tags and
 * verdicts stored beside them, tags before the clicks that learn from them.
 */
export const REPLAY_ORDER = ['users', 'relations', 'follows', 'tweets', 'tweet-tags', 'tweet-moderation', 'clicks'] as const satisfies readonly TopicName[];

/**
 * Every topic but `fanout-slices`: its slices are work derived from tweets, and replaying the
 * tweets produces (and writes) them again.
 */
export type ReplayedTopic = (typeof REPLAY_ORDER)[number];

/**
 * What a rebuild does with each group's committed offsets on its topic. `watermark`: the replay
 * ran this group's handler over its topic, so the group continues right after what was replayed
 * and nothing is processed twice. `kept`: the replay restored what the group had published (tags,
 * verdicts) without running it, so it keeps its own position: tweets it had not reached still
 * need it, and those it had reached but not committed find their stored result, which its handler
 * reuses instead of asking the LLM again.
 */
export const OFFSETS_AFTER_REBUILD: Record<ConsumerGroupName, 'watermark' | 'kept'> = {
  'tweet-store': 'watermark',
  fanout: 'watermark',
  'timeline-merge': 'watermark',
  taste: 'watermark',
  // The replay runs their handlers (after the graph and like restorers of the same message).
  'notifications-follows': 'watermark',
  'notifications-likes': 'watermark',
  'notifications-tweets': 'watermark',
  tagger: 'kept',
  moderator: 'kept',
  // Slices not yet written when the rebuild began are written again by the replay and once more
  // by the group later: idempotent adds, so keeping its position costs only repeated writes.
  'fanout-slices': 'kept',
};

type Definitions = Record<ConsumerGroupName, ConsumerDefinition<never>>;
type Restorers = ReturnType<typeof restorers>;

/**
 * The handlers each replayed topic's messages go through, in order: the consumer groups' own
 * handlers for their topics (so state they maintain comes back as they maintain it), and the
 * restorers for what the API (reposts included), the tagger and the moderator wrote themselves. Per signal: the like
 * edges first, then taste, which learns a like only while it is there. Per tweet: stored,
 * then fanned out, as the two groups would have reached it. Notifications last of each: they
 * check the follow and like edges the restorers have just written.
 */
export function replayPlan(consumers: Definitions, restore: Restorers): Record<ReplayedTopic, readonly ConsumerDefinition<never>[]> {
  const erase = <E>(d: ConsumerDefinition<E>) => d as unknown as ConsumerDefinition<never>;
  return {
    users: [erase(restore.users)],
    relations: [erase(restore.relations)],
    follows: [erase(restore.followGraph), consumers['timeline-merge'], consumers['notifications-follows']],
    tweets: [consumers['tweet-store'], erase(restore.reposts), consumers.fanout, consumers['notifications-tweets']],
    'tweet-tags': [erase(restore.tags)],
    'tweet-moderation': [erase(restore.verdicts)],
    clicks: [erase(restore.likes), consumers.taste, consumers['notifications-likes']],
  };
}

export interface ReplayStackDeps {
  naming: TopicNaming;
  publisher: Pick<KafkaPublisher, 'sendRaw'>;
  /** Handlers of topics whose messages a replay writes inline (the fan-out slices). */
  inline: Partial<Record<TopicName, ConsumerDefinition<never>>>;
  /** Attempts in place per message before a failure aborts the replay. */
  attempts: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Live groups have retry topics; the restorers do not. */
const LIVE_GROUPS = new Set(Object.keys(OFFSETS_AFTER_REBUILD));

/**
 * The same handler, as a replay runs it: decode → replay outcome (skip, defer, abort) → retry in
 * place → outgoing messages written inline → handler. Nothing is produced but deferrals.
 */
export function replayStep(definition: ConsumerDefinition<never>, deps: ReplayStackDeps): Step {
  const inlineHandlers = Object.fromEntries(
    Object.entries(deps.inline).map(([topic, target]) => {
      const step = handlerStep(target!);
      const run = async (event: unknown, incoming: Incoming): Promise<readonly OutgoingMessage[]> => {
        const outcome = await step({ ...incoming, decoded: { ok: true, event, attempt: 1, notBefore: null } });
        return outcome.kind === 'handled' ? outcome.outgoing : [];
      };
      return [topic, run];
    }),
  );
  return compose([
    decode({ schema: definition.schema, retryTopic: null, maxNotBeforeAheadMs: 0 }),
    replayOutcome({
      publisher: deps.publisher,
      retryTopic: LIVE_GROUPS.has(definition.group) ? deps.naming.retryTopic(definition.topic, definition.group) : null,
      policy: DEFAULT_RETRY_POLICY,
      attempts: deps.attempts,
    }),
    retryInPlace({
      initialDelayMs: 100,
      maxDelayMs: 2_000,
      maxAttempts: deps.attempts,
      sleep: deps.sleep,
      // Not ready yet will not be ready in a second: the replay hands it on at once.
      shouldRetry: (err) => !(err instanceof RetryLaterError) && isRetriable(err),
    }),
    runOutgoingInline(inlineHandlers),
  ])(handlerStep(definition));
}
