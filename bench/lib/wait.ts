/** Polls `check` every `intervalMs` until it is true; throws `what` at the deadline. */
export async function until(check: () => Promise<boolean> | boolean, o: { what: string; timeoutMs: number; intervalMs?: number }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${o.timeoutMs} ms waiting for ${o.what}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 1));
  }
}

/** Current value of a consumer-group counter of the in-process service's metrics. */
export async function groupCount(counter: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> }, group: string): Promise<number> {
  return (await counter.get()).values.find((v) => v.labels.group === group)?.value ?? 0;
}
