/**
 * `npm run demo`: the all-in-one service (`node dist/main.js`, exactly what `npm start` runs, with
 * its local Kafka broker and Redis under .local/demo/) plus a small synthetic population that
 * signs up, follows, posts and clicks through the public GraphQL API, then keeps a steady trickle
 * of posts, follows, clicks and likes going so a GraphiQL subscription has something to show. Prints a ready-made token for a demo
 * user who follows many of the posters. Ctrl-C stops the trickle, then the service, which stops its
 * broker and Redis; exit 0 when all of that went cleanly.
 *
 *   npm run demo -- [--users 40] [--interval 0.5] [--seed 1] [--verbose]
 *
 * The service's own log shows while it starts and stops; in between only its warnings and errors
 * (set LOG_LEVEL to see everything it logs at that level).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pinoPretty from 'pino-pretty';
import { createActivity, type TickResult } from './demo/activity.js';
import { castDemo } from './demo/cast.js';
import { httpGql } from './lib/graphql-http.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const YOU = { handle: 'demo', password: 'correct horse battery' };
const STATUS_EVERY_MS = 30_000;

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '40' },
    interval: { type: 'string', default: '0.5' },
    seed: { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
  },
});
const users = Number(values.users);
const intervalMs = Number(values.interval) * 1000;
const seed = Number(values.seed);
if (!Number.isInteger(users) || users < 4 || users > 1000) throw new Error('--users must be an integer from 4 to 1000');
if (!Number.isFinite(intervalMs) || intervalMs < 10) throw new Error('--interval must be at least 0.01 (seconds)');
if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');

const say = (line: string) => process.stdout.write(`demo: ${line}\n`);
const pretty = pinoPretty.prettyFactory({
  colorize: Boolean(process.stdout.isTTY),
  translateTime: 'SYS:HH:MM:ss',
  ignore: 'pid,hostname,name',
  singleLine: true,
});

// While it starts and stops, the service's log is the story; in between, only what goes wrong.
let phase: 'starting' | 'running' | 'stopping' = 'starting';
const showEverything = process.env.LOG_LEVEL !== undefined;
say('starting the service (npm start\'s all-in-one: the API, every consumer group, a local Kafka broker and Redis) …');
const service = spawn(process.execPath, ['--max-semi-space-size=64', path.join(ROOT_DIR, 'dist', 'main.js')], {
  cwd: ROOT_DIR,
  env: {
    // The synthetic population signs up and in from this one address: past the per-address budgets.
    SIGNUP_RATE_LIMIT: '100000',
    AUTH_RATE_LIMIT: '100000',
    ...process.env,
    LOG_FORMAT: 'json',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    LOCAL_DATA_DIR: process.env.LOCAL_DATA_DIR ?? '.local/demo',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
// Killed by a signal (a Ctrl-C before the service set up its own handlers): the shell's 128 + n.
const exited = new Promise<number>((resolve) =>
  service.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 0))),
);

let markUp: (url: string) => void = () => {};
const up = new Promise<string>((resolve) => (markUp = resolve));
createInterface({ input: service.stdout! }).on('line', (line) => {
  let entry: { level?: number; msg?: string; graphql?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    process.stdout.write(`${line}\n`);
    return;
  }
  if (entry.msg === 'timeline service running' && typeof entry.graphql === 'string') {
    markUp(entry.graphql);
    return;
  }
  if (showEverything || phase !== 'running' || (entry.level ?? 0) >= 40) process.stdout.write(pretty(line));
});

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<never> {
  if (!stopping) {
    stopping = true;
    phase = 'stopping';
    process.stdout.write('\n');
    say('stopping: the trickle, then the service, which stops its Kafka broker and Redis …');
    // The terminal's Ctrl-C reached the service too; it ignores a repeat.
    service.kill(signal);
  }
  const code = await exited;
  say(code === 0 ? 'stopped cleanly' : `the service exited with code ${code}`);
  process.exit(code);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
void exited.then((code) => {
  if (stopping) return;
  say(`the service stopped on its own (exit code ${code})${phase === 'starting' ? ' before it was up' : ''}`);
  process.exit(code === 0 ? 1 : code);
});

function banner(url: string, token: string, followed: number): string {
  return [
    '',
    `  The demo is running: ${users} synthetic users post, follow, click and like through the GraphQL API.`,
    '',
    `    GraphiQL    ${url}`,
    `    Sign in     ${YOU.handle} / ${YOU.password}   (follows ${followed} of the ${users} users)`,
    `    Token       ${token}`,
    `    Headers     {"Authorization": "Bearer ${token}"}`,
    "                paste that into GraphiQL's Headers editor, then run the LiveHomeTimeline tab",
    '                (their tweets arrive as they are posted) and the ForYou tab (the reasons)',
    '    Stop        Ctrl-C (the trickle, the service, its Kafka broker and Redis)',
    '',
    '',
  ].join('\n');
}

function describe(result: TickResult): string {
  if (!result.ok) return `${result.action} failed: ${result.error}`;
  if (result.skipped) return `${result.action}: nothing to act on yet`;
  if (result.text) return `${result.actor} posted "${result.text}"`;
  if (result.followee) return `${result.actor} follows ${result.followee}`;
  return `${result.actor} did ${result.action} on tweet ${result.tweetId}`;
}

try {
  const url = await up;
  phase = 'running';
  say(`service up at ${url}; setting up the population through the API …`);
  const gql = httpGql(url);
  const cast = await castDemo(gql, {
    users,
    handlePrefix: 'user',
    password: 'synthetic password',
    seed,
    followsPerUser: 6,
    tweetsPerUser: 2,
    you: YOU,
    youFollow: Math.ceil(users / 2),
    youClicks: 6,
    concurrency: 4,
    log: say,
  });
  process.stdout.write(banner(url, cast.you.token, cast.followedByYou.size));
  say(`the trickle: one post, follow, click or like every ${intervalMs / 1000} s; a summary every ${STATUS_EVERY_MS / 1000} s`);

  const activity = createActivity(gql, cast, { seed: seed + 2 });
  let nextStatus = Date.now() + STATUS_EVERY_MS;
  while (!stopping) {
    const started = Date.now();
    const result = await activity.tick();
    if (stopping) break;
    if (values.verbose || !result.ok) say(describe(result));
    if (Date.now() >= nextStatus) {
      nextStatus += STATUS_EVERY_MS;
      const done = Object.entries(activity.counts).map(([name, n]) => `${n} ${name}${n === 1 ? '' : 's'}`);
      say(`so far: ${done.join(', ')}${activity.failures > 0 ? `, ${activity.failures} failed` : ''}`);
    }
    // The trickle's pace, not a wait for a result.
    await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - started))));
  }
} catch (err) {
  // A stop in the middle of the set-up fails its requests: that is the stop, not an error.
  if (!stopping) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    stopping = true;
    phase = 'stopping';
    service.kill('SIGTERM');
    await exited;
    process.exit(1);
  }
}
