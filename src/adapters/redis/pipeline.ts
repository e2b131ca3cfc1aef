import type { ChainableCommander } from 'ioredis';

/** A MULTI that Redis discarded (EXEC answered nil): nothing of it was applied. */
export class TransactionDiscardedError extends Error {
  override name = 'TransactionDiscardedError';
}

/**
 * Runs a pipeline or MULTI and resolves with its replies in order. The one place batch results
 * are checked: ioredis resolves a pipeline whose commands failed (the errors sit in the results)
 * and a MULTI that Redis discarded (nil), so unchecked `exec()` reports a failed write as success.
 * Rejects with the first command error or TransactionDiscardedError.
 */
export async function execChecked(batch: ChainableCommander): Promise<unknown[]> {
  const results = await batch.exec();
  if (results === null) throw new TransactionDiscardedError('Redis discarded the transaction: nothing was written');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
