/** Messages one request carries at most; the rest wait for the next. */
export const MAX_BATCH = 1_000;

interface Queued<M> {
  topic: string;
  message: M;
  resolve(): void;
  reject(err: unknown): void;
}

/** Sends one request with these messages, grouped by topic in arrival order; resolves once acknowledged. */
export type SendBatch<M> = (topicMessages: { topic: string; messages: M[] }[]) => Promise<void>;

/** One message and its topic, for `GroupCommit.all`. */
export interface Addressed<M> {
  topic: string;
  message: M;
}

/** Sends one message (the function) or several at once (`all`); each resolves once acknowledged. */
export type GroupCommit<M> = ((topic: string, message: M) => Promise<void>) & {
  /**
   * Queues every message before anything is sent, so while nothing is in flight they leave in one
   * request (up to MAX_BATCH), in order; resolves once all were acknowledged, rejects if any was
   * not. A caller that awaited its messages one by one would pay one broker round trip each.
   */
  all(messages: readonly Addressed<M>[]): Promise<void>;
};

/**
 * Group commit. The idempotent producer has one request in flight at a time, so one awaited send
 * per message caps a process at one message per broker round trip (profiled: postTweet under load
 * waited for it, bench/results/hot-path/). Here a message sent while nothing is in flight goes at
 * once, alone; messages arriving meanwhile go together in the next request (up to MAX_BATCH).
 * Each caller's promise settles with its own request: resolved once it was acknowledged, rejected
 * with that request's error. Arrival order is kept, so per-key order is too.
 */
export function groupCommit<M>(sendBatch: SendBatch<M>, maxBatch = MAX_BATCH): GroupCommit<M> {
  const queue: Queued<M>[] = [];
  let sending = false;
  const drain = async () => {
    sending = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      const byTopic = new Map<string, M[]>();
      for (const q of batch) {
        const messages = byTopic.get(q.topic);
        if (messages) messages.push(q.message);
        else byTopic.set(q.topic, [q.message]);
      }
      try {
        await sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
        for (const q of batch) q.resolve();
      } catch (err) {
        for (const q of batch) q.reject(err);
      }
    }
    sending = false;
  };
  const enqueue = (topic: string, message: M) => new Promise<void>((resolve, reject) => queue.push({ topic, message, resolve, reject }));
  const send = (topic: string, message: M) => {
    const sent = enqueue(topic, message);
    if (!sending) void drain();
    return sent;
  };
  const all = async (messages: readonly Addressed<M>[]) => {
    if (messages.length === 0) return;
    const sent = messages.map((m) => enqueue(m.topic, m.message));
    if (!sending) void drain();
    await Promise.all(sent);
  };
  return Object.assign(send, { all });
}
