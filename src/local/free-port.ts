import { existsSync } from 'node:fs';
/**
 * Port and process helpers shared by the local Kafka/Redis launchers.
 * (Process helpers live here too because this is the one generic module in src/local.)
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, open, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** Resolves to a TCP port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read a free port'))));
    });
  });
}

/** True when nothing listens on 127.0.0.1:`port` right now (we could bind it). */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Absolute path of an executable found on PATH, or undefined. */
export async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

/**
 * Spawns `command` so that it does not outlive this Node process.
 * Node cannot set PR_SET_PDEATHSIG itself, so on Linux we exec through
 * `setpriv --pdeathsig TERM` (same pid, the kernel signals the child even if we are
 * SIGKILLed); the 'exit' hook covers normal exits and platforms without setpriv.
 * Caveat: pdeathsig fires when the spawning *thread* dies, so spawn from the main thread.
 * Either way the child gets its own session (process group): Ctrl-C in a terminal, or a
 * supervisor signalling our group, must reach only us, so that we stop it after our own clients
 * are done with it instead of it vanishing under them mid-shutdown.
 * With `detached`, the child is also unref'd and survives us.
 */
export async function spawnService(
  command: string,
  args: string[],
  options: { detached: boolean; stdoutFile: string; env?: NodeJS.ProcessEnv },
): Promise<ChildProcess> {
  const out = await open(options.stdoutFile, 'a');
  try {
    const setpriv = options.detached ? undefined : await findOnPath('setpriv');
    const [file, argv] = setpriv
      ? [setpriv, ['--pdeathsig', 'TERM', '--', command, ...args]]
      : [command, args];
    const spawnOptions: SpawnOptions = {
      detached: true,
      stdio: ['ignore', out.fd, out.fd],
      env: options.env ?? process.env,
    };
    const child = spawn(file, argv, spawnOptions);
    if (child.pid === undefined) {
      throw new Error(`failed to spawn ${command}`);
    }
    if (options.detached) {
      child.unref();
    } else {
      const killOnExit = (): void => {
        child.kill('SIGTERM');
      };
      process.once('exit', killOnExit);
      child.once('exit', () => process.removeListener('exit', killOnExit));
    }
    return child;
  } finally {
    // The child holds its own copy of the descriptor.
    await out.close();
  }
}

/**
 * True when `pid` is a live (non-zombie) process; when `cmdlineIncludes` is given
 * and /proc is readable, the command line must contain it too (guards against pid reuse).
 */
export async function pidAlive(pid: number, cmdlineIncludes?: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    // EPERM means it exists but belongs to someone else: not ours either way.
    return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
    if (cmdlineIncludes !== undefined) {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      return cmdline.includes(cmdlineIncludes);
    }
  } catch (err) {
    // Reaped between kill(0) and the read: gone. No /proc at all (non-Linux): trust kill(0).
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self')) return false;
  }
  return true;
}

/** Resolves true once `pid` is gone, false if it is still alive at the deadline. */
export async function waitForPidExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await pidAlive(pid))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !(await pidAlive(pid));
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves when the process is gone. */
export async function terminatePid(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  if (await waitForPidExit(pid, graceMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForPidExit(pid, 5_000);
}

/** Last `lines` lines of a text file (minus lines matching `skip`), or '' if it does not exist. */
export async function tailFile(path: string, lines = 40, skip?: RegExp): Promise<string> {
  try {
    const all = (await readFile(path, 'utf8')).trimEnd().split('\n');
    return all.filter((l) => skip === undefined || !skip.test(l)).slice(-lines).join('\n');
  } catch {
    return '';
  }
}
