import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { waitForGroupCoordinators } from './coordinators.js';

const logger = pino({ level: 'silent' });

function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('waiting for group coordinators', () => {
  it('retries until the broker describes every group, asking about all of them at once', async () => {
    const clock = fakeClock();
    const asked: string[][] = [];
    let failures = 3;
    const admin = {
      describeGroups: async (ids: string[]) => {
        asked.push(ids);
        if (failures-- > 0) throw new Error('Failed to find group coordinator');
        return { groups: [] };
      },
    };
    await waitForGroupCoordinators(admin, ['a', 'b'], { timeoutMs: 60_000, logger, ...clock });
    expect(asked).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b'], ['a', 'b']]);
    expect(clock.now()).toBe(250 + 500 + 1000);
  });

  it('gives up at the deadline with the last error', async () => {
    const clock = fakeClock();
    const admin = { describeGroups: async () => Promise.reject(new Error('Failed to find group coordinator')) };
    await expect(waitForGroupCoordinators(admin, ['a'], { timeoutMs: 30_000, logger, ...clock })).rejects.toThrow(
      /no group coordinator within 3\d s: Failed to find group coordinator/,
    );
  });
});
