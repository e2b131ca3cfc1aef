/**
 * Time-ordered 63-bit ids: 41 bits of milliseconds since EPOCH_MS, 10 bits of worker, 12 bits of sequence.
 * Ids from one worker strictly increase; ids from different workers order by time to the millisecond.
 */
export const EPOCH_MS = Date.UTC(2024, 0, 1);
const WORKER_BITS = 10n;
const SEQUENCE_BITS = 12n;
const MAX_SEQUENCE = (1n << SEQUENCE_BITS) - 1n;
export const MAX_WORKER_ID = Number((1n << WORKER_BITS) - 1n);

export class ClockMovedBackwardsError extends Error {
  override name = 'ClockMovedBackwardsError';
}

export interface SnowflakeGenerator {
  /** Next id as a decimal string. Throws ClockMovedBackwardsError rather than risk a duplicate or out-of-order id. */
  next(): string;
}

export function createSnowflake(workerId: number, now: () => number = Date.now): SnowflakeGenerator {
  if (!Number.isInteger(workerId) || workerId < 0 || workerId > MAX_WORKER_ID) {
    throw new RangeError(`workerId must be 0..${MAX_WORKER_ID}`);
  }
  let lastMs = -1;
  let sequence = 0n;
  return {
    next() {
      let ms = now();
      if (ms < lastMs) {
        throw new ClockMovedBackwardsError(`clock moved backwards by ${lastMs - ms} ms; refusing to issue ids`);
      }
      if (ms === lastMs) {
        sequence = (sequence + 1n) & MAX_SEQUENCE;
        if (sequence === 0n) {
          // 4096 ids in one millisecond: wait for the next one instead of wrapping into used ids.
          while (ms <= lastMs) ms = now();
        }
      } else {
        sequence = 0n;
      }
      lastMs = ms;
      const id =
        (BigInt(ms - EPOCH_MS) << (WORKER_BITS + SEQUENCE_BITS)) | (BigInt(workerId) << SEQUENCE_BITS) | sequence;
      return id.toString();
    },
  };
}

const ID_PATTERN = /^[1-9][0-9]{0,18}$/;

/** True if `id` is the decimal form of a positive 63-bit integer. */
export function isSnowflake(id: string): boolean {
  return ID_PATTERN.test(id) && BigInt(id) < 1n << 63n;
}

/** Unix milliseconds at which the id was issued. Throws RangeError on a malformed id. */
export function snowflakeTime(id: string): number {
  if (!isSnowflake(id)) throw new RangeError(`not a snowflake id: ${id}`);
  return Number(BigInt(id) >> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MS;
}
