import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import type { Logger } from '../observability/logger.js';
import { findOnPath, freePort, isPortFree, spawnService, tailFile, terminatePid, waitForPidExit } from './free-port.js';
import { checkLocalUser, type LocalTls, type LocalUser } from './tls.js';

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 10_000;

/** How a client reaches a local redis-server: ioredis options (host, port, credentials, TLS with the CA). */
export interface LocalRedisConnection {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls?: { ca: string[]; cert?: string; key?: string };
}

/** TLS options of a client of a local server: its CA, and the local client certificate when one is required. */
async function clientTls(tls: LocalTls, withCertificate: boolean): Promise<NonNullable<LocalRedisConnection['tls']>> {
  const ca = [await readFile(tls.caFile, 'utf8')];
  if (!withCertificate) return { ca };
  return { ca, cert: await readFile(tls.clientCertFile, 'utf8'), key: await readFile(tls.clientKeyFile, 'utf8') };
}

/** A running `redis-server` child bound to 127.0.0.1. */
export interface LocalRedis {
  /** e.g. `redis://127.0.0.1:6380`, `rediss://` with TLS; never with credentials. */
  url: string;
  port: number;
  pid: number;
  /** Options for an ioredis client of it: the first ACL user or the password; with TLS the CA (and the client certificate, when required). */
  connection: LocalRedisConnection;
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
  /**
   * Require authentication: `password` for the `default` user (requirepass) and/or ACL `users`
   * with every permission. With users and no password the `default` user is switched off.
   */
  auth?: { password?: string; users?: readonly LocalUser[] };
  /** Serve TLS only (`--port 0 --tls-port`), with this certificate. */
  tls?: LocalTls;
  /** With `tls`: clients must present a certificate signed by its CA (`--tls-auth-clients yes`). */
  requireClientCertificate?: boolean;
}

/** redis-server arguments for `auth` and `tls`. */
function securityArgs(port: number, auth: StartLocalRedisOptions['auth'], tls: LocalTls | undefined, clientCertificates: boolean): string[] {
  const args = tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile,
        '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', clientCertificates ? 'yes' : 'no']
    : ['--port', String(port)];
  if (auth?.password !== undefined) args.push('--requirepass', checkLocalUser({ name: 'default', password: auth.password }).password);
  else if (auth?.users?.length) args.push('--user', 'default', 'off');
  for (const user of auth?.users ?? []) {
    checkLocalUser(user);
    args.push('--user', user.name, 'on', `>${user.password}`, '~*', '&*', '+@all');
  }
  return args;
}

/** Encodes a command in RESP, so passwords with any characters travel intact. */
function encode(command: readonly string[]): string {
  return `*${command.length}\r\n${command.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** Splits complete top-level replies (simple, error, integer and bulk) off a RESP buffer. */
function parseReplies(buffer: string): string[] {
  const replies: string[] = [];
  let at = 0;
  for (;;) {
    const end = buffer.indexOf('\r\n', at);
    if (end < 0) break;
    const line = buffer.slice(at, end);
    if (line.startsWith('$')) {
      const length = Number(line.slice(1));
      if (length < 0) {
        replies.push('');
        at = end + 2;
        continue;
      }
      if (Buffer.byteLength(buffer.slice(end + 2)) < length + 2) break;
      replies.push(buffer.slice(end + 2, end + 2 + length));
      at = end + 2 + length + 2;
    } else {
      replies.push(line);
      at = end + 2;
    }
  }
  return replies;
}

/**
 * Sends commands on one connection (TLS and AUTH first, when the server needs them) and resolves
 * with the reply to the last, or with what arrived when the server closed the connection
 * (SHUTDOWN replies nothing on success).
 */
function send(target: LocalRedisConnection, command: readonly string[], timeoutMs: number): Promise<string> {
  const auth = target.password === undefined ? [] : [target.username === undefined ? ['AUTH', target.password] : ['AUTH', target.username, target.password]];
  const commands = [...auth, command];
  return new Promise((resolve, reject) => {
    const socket: Socket = target.tls
      ? connectTls({ host: target.host, port: target.port, ...target.tls })
      : connect({ host: target.host, port: target.port });
    let buffer = '';
    const done = (err: Error | undefined): void => {
      socket.destroy();
      const replies = parseReplies(buffer);
      if (err) reject(err);
      else resolve(replies[commands.length - 1] ?? replies.find((r) => r.startsWith('-')) ?? '');
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`timeout waiting for reply to ${command[0]}`)));
    socket.once('error', (err) => done(err));
    socket.once('close', () => done(undefined));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      if (parseReplies(buffer).length >= commands.length) done(undefined);
    });
    socket.once(target.tls ? 'secureConnect' : 'connect', () => socket.write(commands.map(encode).join('')));
  });
}

/** The pid of the redis-server answering on `port` (guards against talking to a foreign Redis). */
async function serverPid(target: LocalRedisConnection): Promise<number | undefined> {
  const info = await send(target, ['INFO', 'server'], 1_000);
  const match = /process_id:(\d+)\r\n/.exec(info);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Starts `redis-server` on 127.0.0.1 (no RDB saves, AOF only with `persist`, log to
 * `<dataDir>/redis.log`; with `auth` and `tls` as asked) and resolves once PING answers PONG.
 * Rejects with
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
  const user = opts.auth?.users?.[0];
  const connection: LocalRedisConnection = {
    host: '127.0.0.1',
    port,
    ...(opts.auth?.password === undefined && user ? { username: user.name, password: user.password } : {}),
    ...(opts.auth?.password !== undefined ? { password: opts.auth.password } : {}),
    ...(opts.tls ? { tls: await clientTls(opts.tls, opts.requireClientCertificate === true) } : {}),
  };
  const child = await spawnService(bin, [
    ...securityArgs(port, opts.auth, opts.tls, opts.requireClientCertificate === true), '--bind', '127.0.0.1', '--dir', opts.dataDir,
    '--save', '', '--appendonly', opts.persist === true ? 'yes' : 'no',
    '--daemonize', 'no', '--logfile', logFile, ...(opts.extraArgs ?? []),
  ], { detached, stdoutFile: join(opts.dataDir, 'redis.out') });
  const pid = child.pid as number; // spawnService throws when there is no pid
  if (detached) await writeFile(pidFile, `${pid}\n`);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // Only send SHUTDOWN when the port is provably ours: never stop someone else's Redis.
      const ours = (await serverPid(connection).catch(() => undefined)) === pid;
      const shutdown = ours && (await send(connection, ['SHUTDOWN', 'NOSAVE'], 2_000).then(() => true, () => false));
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
    const reply = (await send(connection, ['PING'], 1_000).catch((err: Error) => `error: ${err.message}`)).trim();
    if (reply === '+PONG' && (await serverPid(connection).catch(() => undefined)) === pid) {
      const url = `${opts.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
      opts.logger.info({ url, auth: opts.auth ? 'required' : 'none', childPid: pid, dataDir: opts.dataDir }, 'local Redis started');
      return { url, port, pid, connection, stop };
    }
    lastError = reply;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  const tail = [await tailFile(logFile), await tailFile(join(opts.dataDir, 'redis.out'))].filter((t) => t !== '').join('\n');
  throw new Error(`local redis-server on port ${port} failed to start: ${lastError}\n${tail}`);
}
