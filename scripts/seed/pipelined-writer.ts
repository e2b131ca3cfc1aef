import type { ChainableCommander, Redis } from 'ioredis';
import { execChecked } from '../../src/adapters/redis/pipeline.js';

/**
 * Fills pipelines of about `batchArgs` arguments and keeps up to `inFlight` of them executing, so
 * Redis always has work while the next batch is built. Progress units are reported as each batch
 * completes. The first command error rejects `add` or `flush`.
 */
export class PipelinedWriter {
  private pipeline: ChainableCommander;
  private args = 0;
  private units = 0;
  private readonly running: Promise<void>[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly onUnits: (units: number) => void,
    private readonly options: { batchArgs: number; inFlight: number } = { batchArgs: 50_000, inFlight: 3 },
  ) {
    this.pipeline = redis.pipeline();
  }

  /** Queues commands through `queue`; `args` is roughly how many arguments they carry. */
  async add(queue: (pipeline: ChainableCommander) => void, args: number, units: number): Promise<void> {
    queue(this.pipeline);
    this.args += args;
    this.units += units;
    if (this.args >= this.options.batchArgs) await this.send();
  }

  /** Sends what is queued and waits for every batch. */
  async flush(): Promise<void> {
    if (this.args > 0 || this.units > 0) await this.send();
    await Promise.all(this.running.splice(0));
  }

  private async send(): Promise<void> {
    const pipeline = this.pipeline;
    const units = this.units;
    this.pipeline = this.redis.pipeline();
    this.args = 0;
    this.units = 0;
    const batch = execChecked(pipeline).then(() => this.onUnits(units));
    // Marked handled now; the error still surfaces where the batch is awaited (here or in flush).
    batch.catch(() => undefined);
    this.running.push(batch);
    if (this.running.length >= this.options.inFlight) await this.running.shift();
  }
}
