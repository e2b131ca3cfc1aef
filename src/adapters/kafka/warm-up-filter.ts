/**
 * Deciding how loud a kafkajs log entry should be. A broker that has just started (or elected new
 * leaders) answers for a few seconds with retriable errors that kafkajs retries by itself: its group
 * coordinator is not available or still loading, a partition's leader is not elected yet. kafkajs
 * logs each of those at error level, a consumer's retry as a "Crash" with a stack trace and a
 * "Restarting the consumer" line. They are not failures unless they go on, so an episode of them
 * is announced once, calmly, and the entries go to debug; only entries still arriving
 * `persistAfterMs` (60 s by default: a fresh broker on a busy 2-core machine can take that long) into
 * an episode keep their own level, after a warning saying so. Pure apart from the clock it is given.
 */

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface KafkaLogEntry {
  level: KafkaLogLevel;
  /** kafkajs' namespace: Consumer, Connection, Producer, … */
  namespace: string;
  message: string;
  /** The entry's other fields (error, groupId, retryCount, stack, …). */
  fields: Record<string, unknown>;
}

export interface LogDecision {
  /** The level to log the entry itself at. */
  level: KafkaLogLevel;
  /** A line to log before it, once per episode: its start, or that it persisted. */
  announce?: { level: 'info' | 'warn'; message: string };
}

export interface WarmUpFilterOptions {
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
  /** How long an episode stays quiet before its entries are logged at their own level. */
  persistAfterMs?: number;
  /** A gap this long without such an entry ends an episode: the next one is announced again. */
  endAfterMs?: number;
}

/** kafkajs' own texts of the retriable errors a broker answers while it warms up or elects leaders. */
const WARM_UP_ERRORS = [
  'The group coordinator is not available',
  "The coordinator is loading and hence can't process requests for this group",
  'This is not the correct coordinator for this group',
  'This server is not the leader for that topic-partition',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'This server does not host this topic-partition',
];

/**
 * kafkajs warns this whenever an idempotent producer has bounded retries. Ours are bounded on purpose
 * (src/adapters/kafka/publisher.ts): a produce that cannot be acknowledged must fail, so the client
 * gets SERVICE_UNAVAILABLE and nothing saved, instead of a request that hangs. Known and chosen, so
 * never worth a warning at every start.
 */
const BOUNDED_RETRIES_WARNING = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

const RESTARTING_CONSUMER = /^Restarting the consumer in \d+ms/;

function describesWarmUp(entry: KafkaLogEntry): boolean {
  const error = typeof entry.fields.error === 'string' ? entry.fields.error : '';
  const text = `${entry.message} ${error}`;
  return WARM_UP_ERRORS.some((known) => text.includes(known));
}

/**
 * Returns a function deciding each kafkajs entry's level (see the module comment). Stateful: one
 * per Kafka client, fed every entry in order.
 */
export function createWarmUpFilter(options: WarmUpFilterOptions = {}): (entry: KafkaLogEntry) => LogDecision {
  const now = options.now ?? Date.now;
  const persistAfterMs = options.persistAfterMs ?? 60_000;
  const endAfterMs = options.endAfterMs ?? 30_000;
  let episode: { startedAt: number; lastAt: number; escalated: boolean } | undefined;
  // A consumer's "Restarting" line names only its group: quiet it when that group's crash was.
  const quietCrashes = new Set<unknown>();

  return (entry) => {
    if (entry.message === BOUNDED_RETRIES_WARNING) return { level: 'debug' };
    const groupId = entry.fields.groupId;
    const restart = RESTARTING_CONSUMER.test(entry.message);
    const warmUp = restart ? quietCrashes.has(groupId) : describesWarmUp(entry);
    if (restart) quietCrashes.delete(groupId);
    if (!warmUp) return { level: entry.level };
    if (entry.message.startsWith('Crash:')) quietCrashes.add(groupId);

    const t = now();
    if (!episode || t - episode.lastAt > endAfterMs) {
      episode = { startedAt: t, lastAt: t, escalated: false };
      return {
        level: 'debug',
        announce: { level: 'info', message: 'Kafka is warming up (group coordinator or partition leaders not ready yet): retrying' },
      };
    }
    episode.lastAt = t;
    if (t - episode.startedAt < persistAfterMs) return { level: 'debug' };
    if (episode.escalated) return { level: entry.level };
    episode.escalated = true;
    return {
      level: entry.level,
      announce: {
        level: 'warn',
        message: `Kafka is still not ready after ${Math.round((t - episode.startedAt) / 1000)} s: showing its retries`,
      },
    };
  };
}
