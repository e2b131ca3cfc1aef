import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pidAlive } from '../src/local/free-port.js';
import { eventually } from './harness/poll.js';
import { runService, type ServiceProcess } from './harness/processes.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');

async function gql(url: string, query: string, token?: string): Promise<Record<string, any>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as Record<string, any>;
}

/**
 * `npm start` as a newcomer runs it: the all-in-one process starting its own fresh Kafka broker
 * and Redis. The broker's warm-up (group coordinator loading, leaders not elected) must not read as
 * failure, handled messages must not print a line each, and Ctrl-C must stop everything, exit 0.
 */
describe('the all-in-one start on a fresh broker', () => {
  mkdirSync(path.join(ROOT_DIR, '.local'), { recursive: true });
  const dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'test-calm-start-'));
  let service: ServiceProcess | undefined;
  afterAll(() => {
    service?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs no error while the broker warms up, no line per handled message, and stops everything on SIGINT', async () => {
    // Not a terminal, so JSON (LOG_FORMAT auto); empty KAFKA_BROKERS and REDIS_URL mean unset: start both.
    service = runService([], { LOCAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', KAFKA_BROKERS: '', REDIS_URL: '', LOG_FORMAT: '' });
    // A fresh broker on a busy 2-core machine can take minutes; on a timeout the service's log says why.
    const withLog = <T>(wait: Promise<T>): Promise<T> =>
      wait.catch((err: unknown) => {
        throw new Error(`${String(err)}\nthe service's last lines:\n${service!.lines.slice(-25).join('\n')}`);
      });
    const running = await withLog(
      eventually(async () => service!.logged('timeline service running'), (e) => e !== undefined, {
        what: 'the all-in-one service',
        timeoutMs: 240_000,
        intervalMs: 200,
      }),
    );
    const url = String(running!.graphql);
    // No JWT_SECRET outside production: a random one made for this data directory, said at info level.
    expect(service.logged('JWT_SECRET not set: made a random token secret for this machine')).toMatchObject({ level: 30, file: path.join(dataDir, 'jwt-secret') });

    const token = (await gql(url, 'mutation { signUp(handle: "newcomer", password: "correct horse") { token } }')).data.signUp.token as string;
    const posted = await gql(url, 'mutation { postTweet(text: "my first tweet about the playoffs") { id } }', token);
    const id = posted.data.postTweet.id as string;
    // Stored, fanned out and tagged: three consumer groups have handled it.
    await withLog(
      eventually(
        () => gql(url, '{ homeTimeline { edges { node { id tags } } } }', token),
        (r) => r.data?.homeTimeline.edges.some((e: { node: { id: string; tags: string[] } }) => e.node.id === id && e.node.tags.length > 0),
        { what: 'the tweet handled by the consumers', timeoutMs: 120_000, intervalMs: 200 },
      ),
    );

    const broker = Number(service.logged('local Kafka broker started')?.childPid);
    const redis = Number(service.logged('local Redis started')?.childPid);
    expect([await pidAlive(broker), await pidAlive(redis)]).toEqual([true, true]);
    service.child.kill('SIGINT');
    expect(await service.exited).toBe(0);
    expect(service.logged('stopped cleanly')).toBeDefined();
    // Gone (a zombie awaiting its reaper counts as gone: it runs nothing).
    expect([await pidAlive(broker), await pidAlive(redis)]).toEqual([false, false]);

    const entries = service.lines.map((line) => JSON.parse(line) as { level: number; msg: string; offset?: unknown; error?: unknown });
    // Only a warm-up that outlasts the filter's patience (60 s: possible on a very busy machine) may
    // show kafkajs' retries, and only after saying so; nothing else may be logged as an error.
    const persisted = entries.findIndex((e) => e.level === 40 && e.msg.startsWith('Kafka is still not ready after'));
    const errors = entries.map((e, i) => ({ ...e, i })).filter((e) => e.level >= 50);
    const warmUpRetry = (e: { msg: string; error?: unknown }) =>
      /coordinator is not available|coordinator is loading|not the correct coordinator|not the leader|no leader|Restarting the consumer|^Crash: KafkaJSProtocolError/.test(
        `${e.msg} ${String(e.error ?? '')}`,
      );
    if (persisted < 0) expect(errors.map((e) => e.msg), 'error lines').toEqual([]);
    else expect(errors.filter((e) => e.i < persisted || !warmUpRetry(e)).map((e) => e.msg), 'error lines').toEqual([]);
    expect(entries.filter((e) => e.level === 40 && e.msg !== entries[persisted]?.msg).map((e) => e.msg), 'warnings').toEqual([]);
    expect(entries.filter((e) => e.msg.startsWith('Kafka is warming up')).length).toBeLessThanOrEqual(1);
    // Consumer lines carry the message's offset: none of them at info.
    expect(entries.filter((e) => e.level === 30 && e.offset !== undefined).map((e) => e.msg), 'per-message info lines').toEqual([]);
  }, 420_000);
});
