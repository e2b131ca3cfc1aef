import { mkdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import { findOnPath, freePort, isPortFree, spawnService, tailFile, terminatePid, waitForPidExit } from './free-port.js';

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 10_000;

/** A running `redis-server` child bound to 127.0.0.1. */
export interface LocalRedis {
  /** e.g. `redis://127.0.0.1:6380` */
  url: string;
  port: number;
  pid: number;
  /** SHUTDOWN NOSAVE (SIGTERM/SIGKILL as fallbacks) and wait for exit. Idempotent. */
  stop(): Promise<void>;
}

export interface StartLocalRedisOptions {
  /** Working dir: redis.log, AOF files (when `persist`), redis.pid (when `detached`). */
  dataDir: string;
  /** A free port when omitted. */
  port?: number;
  logger: Logger;
  /** Survive this process (own session, pid in `<dataDir>/redis.pid`); otherwise dies with it. */
  detached?: boolean;
  /** appendonly yes, so data survives restarts (RDB snapshots stay off either way). */
  persist?: boolean;
  /** More `--name value` options for redis-server (e.g. cluster mode). */
  extraArgs?: readonly string[];
}

/**
 * Sends one inline command and resolves with the reply text received once `complete(reply)`
 * holds or the server closes the connection (SHUTDOWN replies nothing on success).
 */
function sendInline(port: number, command: string, timeoutMs: number,
  complete: (reply: string) => boolean = (r) => r.includes('\r\n')): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (err: Error | undefined): void => {
      socket.destroy();
      if (err) reject(err);
      else resolve(reply);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`timeout waiting for reply to ${command}`)));
    socket.once('error', (err) => done(err));
    socket.once('close', () => done(undefined));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (complete(reply)) done(undefined);
    });
    socket.once('connect', () => socket.write(`${command}\r\n`));
  });
}

/** The pid of the redis-server answering on `port` (guards against talking to a foreign Redis). */
async function serverPid(port: number): Promise<number | undefined> {
  const info = await sendInline(port, 'INFO server', 1_000, (r) => /process_id:\d+\r\n/.test(r));
  const match = /process_id:(\d+)\r\n/.exec(info);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Starts `redis-server` on 127.0.0.1 (no RDB saves, AOF only with `persist`, log to
 * `<dataDir>/redis.log`) and resolves once PING answers PONG. Rejects with
 * "redis-server not found: ..." when it is not on PATH, or with the log tail if it exits
 * or does not answer within 20 s.
 */
export async function startLocalRedis(opts: StartLocalRedisOptions): Promise<LocalRedis> {
  const bin = await findOnPath('redis-server');
  if (bin === undefined) throw new Error('redis-server not found: apt-get install redis-server');
  await mkdir(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined && !(await isPortFree(port))) {
    throw new Error(`cannot start redis-server: 127.0.0.1:${port} is already in use`);
  }
  const logFile = join(opts.dataDir, 'redis.log');
  const pidFile = join(opts.dataDir, 'redis.pid');
  const detached = opts.detached ?? false;
  const child = await spawnService(bin, [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', opts.dataDir,
    '--save', '', '--appendonly', opts.persist === true ? 'yes' : 'no',
    '--daemonize', 'no', '--logfile', logFile, ...(opts.extraArgs ?? []),
  ], { detached, stdoutFile: join(opts.dataDir, 'redis.out') });
  const pid = child.pid as number; // spawnService throws when there is no pid
  if (detached) await writeFile(pidFile, `${pid}\n`);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // Only send SHUTDOWN when the port is provably ours: never stop someone else's Redis.
      const ours = (await serverPid(port).catch(() => undefined)) === pid;
      const shutdown = ours && (await sendInline(port, 'SHUTDOWN NOSAVE', 2_000).then(() => true, () => false));
      if (!shutdown || !(await waitForPidExit(pid, STOP_GRACE_MS))) await terminatePid(pid, STOP_GRACE_MS);
      if (detached) await rm(pidFile, { force: true });
    })();
    return stopped;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'not attempted';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      lastError = `exited early (code ${String(child.exitCode)})`;
      break;
    }
    const reply = (await sendInline(port, 'PING', 1_000).catch((err: Error) => `error: ${err.message}`)).trim();
    if (reply === '+PONG' && (await serverPid(port).catch(() => undefined)) === pid) {
      const url = `redis://127.0.0.1:${port}`;
      opts.logger.info({ url, childPid: pid, dataDir: opts.dataDir }, 'local Redis started');
      return { url, port, pid, stop };
    }
    lastError = reply;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  const tail = [await tailFile(logFile), await tailFile(join(opts.dataDir, 'redis.out'))].filter((t) => t !== '').join('\n');
  throw new Error(`local redis-server on port ${port} failed to start: ${lastError}\n${tail}`);
}
