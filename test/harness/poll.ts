/**
 * Polls `check` until it returns a value that `accept` likes or the deadline passes; throws with
 * the last value seen. Use this, never a fixed sleep, to wait for asynchronous consumers.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await check();
      if (accept(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = lastError ? String(lastError) : JSON.stringify(last);
      throw new Error(`timed out waiting for ${options.what ?? 'condition'}; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
