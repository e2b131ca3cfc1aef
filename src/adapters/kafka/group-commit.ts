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

/**
 * Group commit. The idempotent producer has one request in flight at a time, so one awaited send
 * per message caps a process at one message per broker round trip (profiled: postTweet under load
 * waited for it, bench/results/hot-path/). Here a message sent while nothing is in flight goes at
 * once, alone; messages arriving meanwhile go together in the next request (up to MAX_BATCH).
 * Each caller's promise settles with its own request: resolved once it was acknowledged, rejected
 * with that request's error. Arrival order is kept, so per-key order is too.
 */
export function groupCommit<M>(sendBatch: SendBatch<M>, maxBatch = MAX_BATCH): (topic: string, message: M) => Promise<void> {
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
  return (topic, message) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ topic, message, resolve, reject });
      if (!sending) void drain();
    });
}
