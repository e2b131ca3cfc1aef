import type { HandlerContext } from '../consumers/definition.js';
import { isRetriable } from '../consumers/failure-policy.js';
import { CONSUMER_GROUPS, GROUP_TOPICS, type ConsumerGroupName } from '../consumers/index.js';
import type { TopicName } from '../domain/events.js';
import type { EventLog, Keyspace, PartitionRange } from '../domain/replay/ports.js';
import type { Logger } from '../observability/logger.js';
import { REPLAY_ORDER, replaySteps, type ReplayDeps, type ReplayStep } from './replay-phases.js';

/** Progress of one phase with a known total (the CLI draws it; see cli/progress.ts). */
export interface PhaseProgress {
  update(done: number): void;
  finish(): void;
}

export interface RebuildDeps extends ReplayDeps {
  log: EventLog;
  keyspace: Keyspace;
  logger: Logger;
  progress?: (label: string, total: number) => PhaseProgress;
  /** Attempts per message before a failing one (Redis gone, say) aborts the rebuild. */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RebuildSummary {
  durationMs: number;
  keysRemoved: number;
  /** Keys of the service's families after the replay. */
  keysWritten: number;
  /** Messages replayed per topic. */
  messages: Record<TopicName, number>;
  /** Messages left out per topic: undecodable, or their handler said retrying cannot help (the live group dead-lettered them too). */
  skipped: Record<TopicName, number>;
  /** Clicks on tweets the tagger had not reached yet, handed to the taste group's retry topic. */
  deferredClicks: number;
  /** Where each group continues: `watermark` (moved past what was replayed) or `kept`. */
  offsets: Record<ConsumerGroupName, 'watermark' | 'kept'>;
}

/** Rebuild would race live consumers; nothing was changed. */
export class RebuildRefusedError extends Error {
  override name = 'RebuildRefusedError';
}

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
  tagger: 'kept',
  moderator: 'kept',
  // Slices not yet written when the rebuild began are written again by the replay and once more
  // by the group later: idempotent adds, so keeping its position costs only repeated writes.
  'fanout-slices': 'kept',
};

const zeroPerTopic = () => Object.fromEntries(REPLAY_ORDER.map((t) => [t, 0])) as Record<TopicName, number>;
const noProgress: PhaseProgress = { update: () => undefined, finish: () => undefined };

/**
 * Empties the service's Redis state and rebuilds it from Kafka: captures every topic's high
 * watermarks, deletes the key families of keys.ts (SCAN + UNLINK), replays users, follows, tweets,
 * tags, verdicts and clicks from their first offset to the captured watermark (REPLAY_ORDER,
 * replaySteps), then moves the replayed groups' committed offsets to those watermarks.
 *
 * Refuses (RebuildRefusedError, before touching anything) while any consumer group of the
 * deployment has members. If it fails half-way, Redis is partly rebuilt and offsets move only
 * once the replay is complete: run it again. The API must take no sign-ups or follow changes meanwhile: it writes those to
 * Redis itself, and a write between the watermarks and the wipe would be lost.
 */
export async function rebuildState(deps: RebuildDeps): Promise<RebuildSummary> {
  const started = Date.now();
  const { log, logger } = deps;
  const progress = deps.progress ?? (() => noProgress);
  await refuseWhileConsuming(log, 'stop every consumer of this deployment first; nothing was changed');

  const watermarks = new Map<TopicName, PartitionRange[]>();
  for (const topic of REPLAY_ORDER) watermarks.set(topic, await log.watermarks(topic));
  logger.info({ offsets: Object.fromEntries([...watermarks].map(([t, r]) => [t, span(r)])) }, 'rebuild: watermarks captured');

  let wipe: PhaseProgress | undefined;
  const keysRemoved = await deps.keyspace.wipe((scanned, total) => {
    wipe ??= progress('wipe redis', total);
    wipe.update(scanned);
  });
  (wipe ?? progress('wipe redis', 0)).finish();
  logger.info({ keysRemoved }, 'rebuild: redis state emptied');

  const steps = replaySteps(deps);
  const messages = zeroPerTopic();
  const skipped = zeroPerTopic();
  let deferredClicks = 0;
  for (const topic of REPLAY_ORDER) {
    const ranges = watermarks.get(topic)!;
    const phaseStarted = Date.now();
    const bar = progress(topic, span(ranges));
    const next = new Map(ranges.map((r) => [r.partition, BigInt(r.low)]));
    let done = 0;
    await log.read(topic, ranges, async (message, heartbeat) => {
      const ctx: HandlerContext = { log: quiet(logger).child({ topic: message.topic, partition: message.partition, offset: message.offset }), heartbeat };
      const outcome = await withAttempts(steps[topic], deps)(message, ctx);
      messages[topic]++;
      if (outcome.kind === 'skipped') {
        skipped[topic]++;
        ctx.log.warn({ reason: outcome.reason }, 'rebuild: message skipped');
      }
      if (outcome.kind === 'deferred') deferredClicks++;
      // Offsets, not messages: a compacted topic has gaps, and the total counts offsets.
      const offset = BigInt(message.offset);
      done += Number(offset + 1n - next.get(message.partition)!);
      next.set(message.partition, offset + 1n);
      bar.update(done);
    });
    bar.finish();
    logger.info({ topic, messages: messages[topic], skipped: skipped[topic], ms: Date.now() - phaseStarted }, 'rebuild: topic replayed');
  }

  await refuseWhileConsuming(log, 'Redis is rebuilt, but no consumer offset was moved: stop them and run rebuild again');
  // In parallel: kafkajs sets a group's offsets by joining it for a fetch, seconds per group.
  const moved = CONSUMER_GROUPS.filter((g) => OFFSETS_AFTER_REBUILD[g] === 'watermark');
  const results = await Promise.allSettled(
    moved.map((group) => {
      const topic = GROUP_TOPICS[group];
      return log.commitOffsets(group, topic, watermarks.get(topic)!.map((r) => ({ partition: r.partition, offset: r.high })));
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

async function refuseWhileConsuming(log: EventLog, advice: string): Promise<void> {
  const active = await log.activeGroups(CONSUMER_GROUPS);
  if (active.length === 0) return;
  const list = active.map((g) => `${g.group} (${g.members} member${g.members === 1 ? '' : 's'}, ${g.state})`).join(', ');
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

/**
 * Retries a step in place (a Redis blip) with backoff; an error that says retrying cannot help
 * becomes a skip, and one that outlasts the attempts aborts the rebuild.
 */
function withAttempts(step: ReplayStep, deps: Pick<RebuildDeps, 'attempts' | 'sleep'>): ReplayStep {
  const attempts = deps.attempts ?? 5;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (message, ctx) => {
    for (let attempt = 1, delay = 100; ; attempt++, delay = Math.min(delay * 2, 2_000)) {
      try {
        return await step(message, ctx);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (!isRetriable(err)) return { kind: 'skipped', reason: `not retriable: ${reason}` };
        if (attempt >= attempts) {
          throw new Error(`rebuild aborted at ${message.topic}/${message.partition}@${message.offset} after ${attempt} attempts: ${reason}`, { cause: err });
        }
        ctx.log.warn({ err: reason, attempt, retryInMs: delay }, 'rebuild: step failed; retrying');
        await sleep(delay);
        await ctx.heartbeat();
      }
    }
  };
}
