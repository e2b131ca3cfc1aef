/**
 * Backend of `npm run services` / `npm run services:stop`: a long-lived local Kafka and Redis
 * for development, detached from the command that starts them.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import { freePort, isPortFree, pidAlive, terminatePid } from './free-port.js';
import { startLocalKafka } from './kafka-broker.js';
import { startLocalRedis } from './redis-server.js';

/** How to reach the services; a field is absent when that service is not running. */
export interface RunningServices {
  kafkaBrokers?: string;
  redisUrl?: string;
}

interface ServicesFile {
  kafka?: { brokers: string; pid: number };
  redis?: { url: string; pid: number };
}

/** What to look for in /proc/<pid>/cmdline so a recycled pid is not mistaken for ours. */
const SERVICES = {
  kafka: { pidFile: 'kafka.pid', cmdline: 'kafka.Kafka', defaultPort: 9092 },
  redis: { pidFile: 'redis.pid', cmdline: 'redis-server', defaultPort: 6379 },
} as const;
type ServiceName = keyof typeof SERVICES;

const servicesDir = (rootDir: string): string => join(rootDir, '.local', 'services');
const servicesJson = (rootDir: string): string => join(servicesDir(rootDir), 'services.json');

async function livePid(rootDir: string, name: ServiceName): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(servicesDir(rootDir), name, SERVICES[name].pidFile), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && (await pidAlive(pid, SERVICES[name].cmdline)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The default port, else default+1, else any free port: stable addresses when possible, never a busy one. */
async function pickPort(defaultPort: number): Promise<number> {
  for (const port of [defaultPort, defaultPort + 1]) {
    if (await isPortFree(port)) return port;
  }
  return freePort();
}

function envLine(s: RunningServices): string {
  return `KAFKA_BROKERS=${s.kafkaBrokers ?? ''} REDIS_URL=${s.redisUrl ?? ''}\n`;
}

/**
 * Addresses of the services started by {@link startServices} whose processes are still alive
 * (pid file + command line checked), or undefined when none is.
 */
export async function readRunningServices(rootDir: string): Promise<RunningServices | undefined> {
  let file: ServicesFile;
  try {
    file = JSON.parse(await readFile(servicesJson(rootDir), 'utf8')) as ServicesFile;
  } catch {
    return undefined;
  }
  const result: RunningServices = {};
  if (file.kafka && (await livePid(rootDir, 'kafka')) === file.kafka.pid) result.kafkaBrokers = file.kafka.brokers;
  if (file.redis && (await livePid(rootDir, 'redis')) === file.redis.pid) result.redisUrl = file.redis.url;
  return result.kafkaBrokers === undefined && result.redisUrl === undefined ? undefined : result;
}

/**
 * Ensures a detached Kafka (port 9092 if free) and Redis (6379 if free; a system Redis there is
 * left alone) run under `<rootDir>/.local/services/{kafka,redis}`, records their addresses in
 * `services.json`, prints `KAFKA_BROKERS=... REDIS_URL=...` to stdout and returns them.
 * Already-running services are reused. Redis persists data (AOF) across restarts, as does Kafka.
 */
export async function startServices(opts: { rootDir: string; logger: Logger }): Promise<Required<RunningServices>> {
  const dir = servicesDir(opts.rootDir);
  await mkdir(dir, { recursive: true });
  const running = (await readRunningServices(opts.rootDir)) ?? {};
  const file: ServicesFile = {};
  let existing: ServicesFile = {};
  try {
    existing = JSON.parse(await readFile(servicesJson(opts.rootDir), 'utf8')) as ServicesFile;
  } catch {
    // first start
  }

  if (running.kafkaBrokers !== undefined && existing.kafka) {
    file.kafka = existing.kafka;
  } else {
    const kafka = await startLocalKafka({
      rootDir: opts.rootDir, dataDir: join(dir, 'kafka'), port: await pickPort(SERVICES.kafka.defaultPort),
      logger: opts.logger, detached: true,
    });
    file.kafka = { brokers: kafka.brokers.join(','), pid: kafka.pid };
  }
  // Written now so a failing Redis start does not orphan an unrecorded Kafka.
  await writeFile(servicesJson(opts.rootDir), `${JSON.stringify(file, null, 2)}\n`);

  if (running.redisUrl !== undefined && existing.redis) {
    file.redis = existing.redis;
  } else {
    const redis = await startLocalRedis({
      dataDir: join(dir, 'redis'), port: await pickPort(SERVICES.redis.defaultPort),
      logger: opts.logger, detached: true, persist: true,
    });
    file.redis = { url: redis.url, pid: redis.pid };
  }
  await writeFile(servicesJson(opts.rootDir), `${JSON.stringify(file, null, 2)}\n`);

  const result = { kafkaBrokers: file.kafka.brokers, redisUrl: file.redis.url };
  process.stdout.write(envLine(result));
  return result;
}

/**
 * Stops whatever {@link startServices} started (SIGTERM, then SIGKILL after 30 s), removes pid
 * files and `services.json`. Never touches processes it did not start.
 */
export async function stopServices(opts: { rootDir: string; logger: Logger }): Promise<void> {
  await Promise.all(
    (Object.keys(SERVICES) as ServiceName[]).map(async (name) => {
      const pid = await livePid(opts.rootDir, name);
      if (pid !== undefined) {
        await terminatePid(pid, 30_000);
        opts.logger.info({ service: name, childPid: pid }, 'local service stopped');
      }
      await rm(join(servicesDir(opts.rootDir), name, SERVICES[name].pidFile), { force: true });
    }),
  );
  await rm(servicesJson(opts.rootDir), { force: true });
  process.stdout.write('local services stopped\n');
}
