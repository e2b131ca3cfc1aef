import type { ChainableCommander } from 'ioredis';

/** Runs a pipeline and throws the first command error: ioredis reports them in the result instead of rejecting. */
export async function execOrThrow(pipeline: ChainableCommander): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  for (const [err] of results) if (err) throw err;
}
