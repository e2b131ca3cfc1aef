import type { KafkaAdmin } from '../../adapters/kafka/admin.js';
import type { PartitionRange } from '../../adapters/kafka/replay-subscriber.js';
import type { Subscriber } from '../../adapters/kafka/subscriber.js';
import type { TopicNaming } from '../../adapters/kafka/topics.js';
import type { TopicName } from '../../domain/events.js';
import type { Keyspace } from '../../domain/replay/ports.js';
import type { Logger } from '../../observability/logger.js';
import type { ConsumerDefinition } from '../definition.js';
import { CONSUMER_GROUPS, GROUP_TOPICS, type ConsumerGroupName } from '../index.js';
import type { Incoming, Outcome } from '../middleware/types.js';
import { OFFSETS_AFTER_REBUILD, REPLAY_ORDER, replayStep, type ReplayedTopic, type ReplayStackDeps } from './plan.js';

/** Progress of one phase with a known total (the CLI draws it; see cli/progress.ts). */
export interface PhaseProgress {
  update(done: number): void;
  finish(): void;
}

export interface RebuildDeps extends Omit<ReplayStackDeps, 'attempts'> {
  admin: Pick<KafkaAdmin, 'activeGroups' | 'topicOffsets' | 'setGroupOffsets'>;
  /** A bounded reader of one (physical) topic's ranges: the replay subscriber. */
  replay: (topic: string, ranges: readonly PartitionRange[]) => Subscriber;
  keyspace: Keyspace;
  /** The handlers of each replayed topic, in order (replayPlan). */
  plan: Record<ReplayedTopic, readonly ConsumerDefinition<never>[]>;
  logger: Logger;
  progress?: (label: string, total: number) => PhaseProgress;
  /** Attempts per message before a failing one (Redis gone, say) aborts the rebuild. */
  attempts?: number;
}

export interface RebuildSummary {
  durationMs: number;
  keysRemoved: number;
  /** Keys of the service's families after the replay. */
  keysWritten: number;
  /** Messages replayed per topic. */
  messages: Record<ReplayedTopic, number>;
  /** Messages left out per topic: undecodable, or their handler said retrying cannot help (the live group dead-lettered them too). */
  skipped: Record<ReplayedTopic, number>;
  /** Clicks on tweets the tagger had not reached yet, handed to the taste group's retry topic. */
  deferredClicks: number;
  /** Where each group continues: `watermark` (moved past what was replayed) or `kept`. */
  offsets: Record<ConsumerGroupName, 'watermark' | 'kept'>;
}

/** Rebuild would race live consumers; nothing was changed. */
export class RebuildRefusedError extends Error {
  override name = 'RebuildRefusedError';
}

const zeroPerTopic = () => Object.fromEntries(REPLAY_ORDER.map((t) => [t, 0])) as Record<ReplayedTopic, number>;
const noProgress: PhaseProgress = { update: () => undefined, finish: () => undefined };

/**
 * Empties the service's Redis state and rebuilds it from Kafka: captures every topic's high
 * watermarks, deletes the key families of keys.ts (SCAN + UNLINK), replays users, follows, tweets,
 * tags, verdicts and clicks from their first offset to the captured watermark (REPLAY_ORDER)
 * through the consumer groups' own handlers on the replay subscriber, then moves the replayed
 * groups' committed offsets to those watermarks.
 *
 * Refuses (RebuildRefusedError, before touching anything) while any consumer group of the
 * deployment has members. If it fails half-way, Redis is partly rebuilt and offsets move only
 * once the replay is complete: run it again. The API must take no sign-ups or follow changes
 * meanwhile: it writes those to Redis itself, and a write between the watermarks and the wipe
 * would be lost.
 */
export async function rebuildState(deps: RebuildDeps): Promise<RebuildSummary> {
  const started = Date.now();
  const { admin, naming, logger } = deps;
  const progress = deps.progress ?? (() => noProgress);
  await refuseWhileConsuming(deps, 'stop every consumer of this deployment first; nothing was changed');

  const watermarks = new Map<TopicName, PartitionRange[]>();
  for (const topic of REPLAY_ORDER) watermarks.set(topic, await admin.topicOffsets(naming.topic(topic)));
  logger.info({ offsets: Object.fromEntries([...watermarks].map(([t, r]) => [t, span(r)])) }, 'rebuild: watermarks captured');

  let wipe: PhaseProgress | undefined;
  const keysRemoved = await deps.keyspace.wipe((scanned, total) => {
    wipe ??= progress('wipe redis', total);
    wipe.update(scanned);
  });
  (wipe ?? progress('wipe redis', 0)).finish();
  logger.info({ keysRemoved }, 'rebuild: redis state emptied');

  const stack = { ...deps, attempts: deps.attempts ?? 5 };
  const messages = zeroPerTopic();
  const skipped = zeroPerTopic();
  let deferredClicks = 0;
  const handlerLog = quiet(logger);
  for (const topic of REPLAY_ORDER) {
    const ranges = watermarks.get(topic)!;
    const phaseStarted = Date.now();
    const bar = progress(topic, span(ranges));
    const steps = deps.plan[topic].map((definition) => ({ definition, step: replayStep(definition, stack) }));
    const next = new Map(ranges.map((r) => [r.partition, BigInt(r.low)]));
    let done = 0;
    const subscription = await deps.replay(naming.topic(topic), ranges).subscribe(async (message, controls) => {
      const log = handlerLog.child({ topic: message.topic, partition: message.partition, offset: message.offset, key: message.key });
      const outcomes: Outcome[] = [];
      for (const { definition, step } of steps) {
        const incoming: Incoming = { message, group: definition.group, log, controls, isStopping: () => false, failures: 0 };
        outcomes.push(await step(incoming));
      }
      messages[topic]++;
      const skip = outcomes.find((o) => o.kind === 'skipped');
      if (skip) {
        skipped[topic]++;
        log.warn({ reason: skip.reason }, 'rebuild: message skipped');
      }
      if (outcomes.some((o) => o.kind === 'deferred')) deferredClicks++;
      // Offsets, not messages: a compacted topic has gaps, and the total counts offsets.
      const offset = BigInt(message.offset);
      done += Number(offset + 1n - next.get(message.partition)!);
      next.set(message.partition, offset + 1n);
      bar.update(done);
    });
    await subscription.done;
    bar.finish();
    logger.info({ topic, messages: messages[topic], skipped: skipped[topic], ms: Date.now() - phaseStarted }, 'rebuild: topic replayed');
  }

  await refuseWhileConsuming(deps, 'Redis is rebuilt, but no consumer offset was moved: stop them and run rebuild again');
  // In parallel: kafkajs sets a group's offsets by joining it for a fetch, seconds per group.
  const moved = CONSUMER_GROUPS.filter((g) => OFFSETS_AFTER_REBUILD[g] === 'watermark');
  const results = await Promise.allSettled(
    moved.map((group) => {
      const topic = GROUP_TOPICS[group];
      const ranges = watermarks.get(topic)!;
      return admin.setGroupOffsets(naming.group(group), naming.topic(topic), ranges.map((r) => ({ partition: r.partition, offset: r.high })));
    }),
  );
  const failed = moved.filter((_, i) => results[i]!.status === 'rejected');
  if (failed.length > 0) {
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
    throw new Error(`rebuild: Redis is rebuilt, but moving the offsets of ${failed.join(', ')} failed (${reasons.join('; ')}); run rebuild again`);
  }
  logger.info({ groups: moved }, 'rebuild: consumer offsets moved to the watermarks');

  return {
    durationMs: Date.now() - started,
    keysRemoved,
    keysWritten: await deps.keyspace.count(),
    messages,
    skipped,
    deferredClicks,
    offsets: OFFSETS_AFTER_REBUILD,
  };
}

async function refuseWhileConsuming(deps: Pick<RebuildDeps, 'admin' | 'naming'>, advice: string): Promise<void> {
  const physical = CONSUMER_GROUPS.map((g) => deps.naming.group(g));
  const active = await deps.admin.activeGroups(physical);
  if (active.length === 0) return;
  const logical = (id: string) => CONSUMER_GROUPS[physical.indexOf(id)] ?? id;
  const list = active.map((g) => `${logical(g.group)} (${g.members} member${g.members === 1 ? '' : 's'}, ${g.state})`).join(', ');
  throw new RebuildRefusedError(`rebuild refused: consumer groups are running: ${list}. A replay would race them; ${advice}.`);
}

/** Offsets in the ranges: the phase's total. */
function span(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((sum, r) => sum + Number(BigInt(r.high) - BigInt(r.low)), 0);
}

/** Handlers log a line per message; a replay of millions keeps only their warnings. */
function quiet(logger: Logger): Logger {
  return logger.levels.values[logger.level]! >= logger.levels.values.warn! ? logger : logger.child({}, { level: 'warn' });
}
