import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load-spec.js';

export type { LoadResult, LoadSpec };

/** Writes the tokens a load run cycles through; returns the file. */
export async function writeTokens(dir: string, name: string, tokens: readonly string[]): Promise<string> {
  const file = join(dir, `${name}-tokens.json`);
  await writeFile(file, JSON.stringify(tokens));
  return file;
}

/** Runs autocannon in a child process (so load and service do not share an event loop). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = fork(join(import.meta.dirname, 'load-worker.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('load generator did not finish in time'));
    }, (spec.durationSeconds + 60) * 1000);
    child.once('message', (message: { ok: boolean; result?: LoadResult; error?: string }) => {
      clearTimeout(timer);
      if (message.ok && message.result) resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(spec);
  });
}
