import { describe, expect, it } from 'vitest';
import { groupCommit, type SendBatch } from './group-commit.js';

/** A sendBatch whose requests the test completes by hand, recording what each carried. */
function manualSender() {
  const requests: { topicMessages: { topic: string; messages: string[] }[]; settle(err?: Error): void }[] = [];
  const send: SendBatch<string> = (topicMessages) =>
    new Promise<void>((resolve, reject) => requests.push({ topicMessages, settle: (err) => (err ? reject(err) : resolve()) }));
  return { requests, send };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('sends the first message at once and those arriving meanwhile together, in order, by topic', async () => {
    const { requests, send } = manualSender();
    const publish = groupCommit(send);
    const first = publish('a', 'm1');
    await tick();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.topicMessages).toEqual([{ topic: 'a', messages: ['m1'] }]);

    const later = [publish('a', 'm2'), publish('b', 'm3'), publish('a', 'm4')];
    await tick();
    expect(requests).toHaveLength(1); // nothing else goes while the first is in flight
    requests[0]!.settle();
    await first;
    await tick();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.topicMessages).toEqual([
      { topic: 'a', messages: ['m2', 'm4'] },
      { topic: 'b', messages: ['m3'] },
    ]);
    requests[1]!.settle();
    await Promise.all(later);
  });

  it('rejects exactly the callers of a failed request and goes on with the next', async () => {
    const { requests, send } = manualSender();
    const publish = groupCommit(send);
    const first = publish('a', 'm1');
    await tick();
    const second = publish('a', 'm2');
    const third = publish('a', 'm3');
    requests[0]!.settle(new Error('broker gone'));
    await expect(first).rejects.toThrow('broker gone');
    await tick();
    const fourth = publish('a', 'm4'); // queued behind the in-flight second request
    requests[1]!.settle(new Error('still gone'));
    await expect(second).rejects.toThrow('still gone');
    await expect(third).rejects.toThrow('still gone');
    await tick();
    requests[2]!.settle();
    await expect(fourth).resolves.toBeUndefined();
    expect(requests.map((r) => r.topicMessages[0]!.messages)).toEqual([['m1'], ['m2', 'm3'], ['m4']]);
  });

  it('splits a long queue into requests of at most maxBatch', async () => {
    const { requests, send } = manualSender();
    const publish = groupCommit(send, 2);
    const all = [publish('a', '1')];
    await tick();
    all.push(publish('a', '2'), publish('a', '3'), publish('a', '4'), publish('a', '5'), publish('a', '6'));
    for (let i = 0; i < 4; i++) {
      requests[i]!.settle();
      await tick();
      await tick();
    }
    await Promise.all(all);
    expect(requests.map((r) => r.topicMessages[0]!.messages)).toEqual([['1'], ['2', '3'], ['4', '5'], ['6']]);
  });

  it('sends all of a caller\'s messages in one request and resolves only once it was acknowledged', async () => {
    const { requests, send } = manualSender();
    const publish = groupCommit(send);
    let settled = false;
    const all = publish.all([
      { topic: 'a', message: 'm1' },
      { topic: 'b', message: 'm2' },
      { topic: 'a', message: 'm3' },
    ]).then(() => void (settled = true));
    await tick();
    // Not one alone and the rest after it: every message in the first request.
    expect(requests.map((r) => r.topicMessages)).toEqual([
      [
        { topic: 'a', messages: ['m1', 'm3'] },
        { topic: 'b', messages: ['m2'] },
      ],
    ]);
    expect(settled).toBe(false);
    requests[0]!.settle();
    await all;
    expect(settled).toBe(true);
    await expect(publish.all([])).resolves.toBeUndefined();
    expect(requests).toHaveLength(1);
  });

  it('rejects all when their request failed, and queues them behind a request in flight', async () => {
    const { requests, send } = manualSender();
    const publish = groupCommit(send);
    const first = publish('a', 'm0');
    await tick();
    const all = publish.all([
      { topic: 'a', message: 'm1' },
      { topic: 'a', message: 'm2' },
    ]);
    requests[0]!.settle();
    await first;
    await tick();
    expect(requests[1]!.topicMessages).toEqual([{ topic: 'a', messages: ['m1', 'm2'] }]);
    requests[1]!.settle(new Error('broker gone'));
    await expect(all).rejects.toThrow('broker gone');
  });
});
