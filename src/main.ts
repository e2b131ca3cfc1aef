import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runRebuild, startApp, type App, type AppRoles, type Infrastructure } from './app.js';
import { createKafkaAdmin } from './adapters/kafka/admin.js';
import { kafkaTarget } from './adapters/kafka/client.js';
import { KafkaConnection } from './adapters/kafka/connection.js';
import { ConnectionSetupError } from './adapters/connection-error.js';
import { topicNaming } from './adapters/kafka/topics.js';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { listDeadLetters, redriveDeadLetters } from './cli/dead-letters.js';
import { createProgress } from './cli/progress.js';
import { createKafkaPublisher } from './adapters/kafka/publisher.js';
import { CONSUMER_GROUPS, GROUP_BINDINGS, GROUP_TOPICS, isConsumerGroupName } from './consumers/index.js';
import { measureLag } from './adapters/kafka/lag.js';
import { formatLagTable } from './observability/lag.js';
import { startLocalKafka } from './local/kafka-broker.js';
import { startLocalRedis } from './local/redis-server.js';
import { readRunningServices, startServices, stopServices } from './local/services.js';
import { createLogger, resolveLogFormat, type Logger } from './observability/logger.js';
import { firstCommand, startBanner } from './cli/banner.js';
import { RebuildRefusedError } from './consumers/replay/rebuild.js';

/** The repo root: local broker jars and data live under it. */
const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Longer than the consumers' session timeout, so a member can finish its message and leave the group. */
const SHUTDOWN_TIMEOUT_MS = 45_000;

const USAGE = `usage: node dist/main.js [command]
  (none)              all-in-one: the API and every consumer group in one process
  serve               the GraphQL API only
  consume <group>     one consumer group (${CONSUMER_GROUPS.join(', ')})
  create-topics       create the Kafka topics and exit
  lag                 print each consumer group's lag per topic and partition
  dlq list <group>    print the group's dead letters
  dlq redrive <group> send the group's dead letters back to its retry topic
  rebuild             empty the Redis state and replay it from Kafka (every consumer stopped first)
  services start|stop start or stop a local Kafka broker and Redis in the background`;

interface Resolved {
  infra: Infrastructure;
  /** Stops whatever this process started itself. */
  stopLocal: () => Promise<void>;
  /** True when this process started a Kafka broker or Redis of its own. */
  startedLocal: boolean;
}

/**
 * Where Kafka and Redis are: configured, else the ones `npm run services` runs, else (only when
 * `startMissing`) started here as child processes, which the log says.
 */
async function resolveInfrastructure(config: Config, logger: Logger, startMissing: boolean): Promise<Resolved> {
  const running = await readRunningServices(ROOT_DIR);
  const stops: (() => Promise<void>)[] = [];
  let kafkaBrokers = config.kafka.brokers ?? running?.kafkaBrokers?.split(',');
  let redisUrl = config.redis.url ?? running?.redisUrl;
  const dataDir = path.resolve(ROOT_DIR, config.localDataDir, 'run');
  if (!kafkaBrokers) {
    if (!startMissing) throw new ConfigError('KAFKA_BROKERS is not set (or run `npm run services` first)');
    logger.info('KAFKA_BROKERS not set: starting a local Kafka broker (KRaft, single node)');
    const kafka = await startLocalKafka({ rootDir: ROOT_DIR, dataDir: path.join(dataDir, 'kafka'), logger });
    kafkaBrokers = kafka.brokers;
    stops.push(() => kafka.stop());
  }
  const stopLocal = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  // A cluster is never started locally: REDIS_CLUSTER_NODES names one that runs.
  if (config.redis.clusterNodes) {
    return { infra: { kafkaBrokers, redisClusterNodes: config.redis.clusterNodes }, stopLocal, startedLocal: stops.length > 0 };
  }
  if (!redisUrl) {
    if (!startMissing) throw new ConfigError('REDIS_URL (or REDIS_CLUSTER_NODES) is not set (or run `npm run services` first)');
    logger.info('REDIS_URL not set: starting a local redis-server');
    const redis = await startLocalRedis({ dataDir: path.join(dataDir, 'redis'), logger, persist: true });
    redisUrl = redis.url;
    stops.push(() => redis.stop());
  }
  return { infra: { kafkaBrokers, redisUrl }, stopLocal, startedLocal: stops.length > 0 };
}

function rolesFor(command: string | undefined, arg: string | undefined): AppRoles {
  if (command === undefined || command === 'all') return { api: true, consumers: CONSUMER_GROUPS };
  if (command === 'serve') return { api: true, consumers: [] };
  if (command === 'consume') {
    if (!arg || !isConsumerGroupName(arg)) throw new ConfigError(`consume needs a group: ${CONSUMER_GROUPS.join(', ')}`);
    return { api: false, consumers: [arg] };
  }
  throw new ConfigError(`unknown command "${command}"\n${USAGE}`);
}

/** One-shot commands that need only Kafka: topics, lag, dead letters. */
async function runKafkaCommand(config: Config, logger: Logger, command: string, args: string[]): Promise<void> {
  const { infra, stopLocal } = await resolveInfrastructure(config, logger, false);
  const kafka = KafkaConnection.create({ ...kafkaTarget(config, infra.kafkaBrokers), logger });
  const naming = topicNaming(config.kafka.namespace);
  const admin = createKafkaAdmin(kafka);
  try {
    await admin.connect();
  } catch (err) {
    await stopLocal();
    throw err;
  }
  try {
    if (command === 'create-topics') {
      await admin.ensureTopics(naming, config.kafka.partitions, logger, GROUP_BINDINGS);
    } else if (command === 'lag') {
      console.log(formatLagTable(await measureLag(admin, naming, GROUP_BINDINGS)));
    } else {
      const [action, group] = args;
      if ((action !== 'list' && action !== 'redrive') || !group || !isConsumerGroupName(group)) {
        throw new ConfigError(`usage: dlq list|redrive <group>  (groups: ${CONSUMER_GROUPS.join(', ')})`);
      }
      const binding = { group, topic: GROUP_TOPICS[group] };
      if (action === 'list') {
        const letters = await listDeadLetters(kafka, naming, binding);
        for (const l of letters) console.log(`${l.partition}@${l.offset}  key=${l.key ?? '-'}  attempt=${l.attempt}  from=${l.origin}  at=${l.failedAt}\n    ${l.error}`);
        console.log(`${letters.length} dead letter(s) in ${naming.deadLetterTopic(binding.topic, group)}`);
      } else {
        const publisher = createKafkaPublisher(kafka, naming);
        await publisher.connect();
        const count = await redriveDeadLetters(kafka, naming, publisher, binding);
        await publisher.disconnect();
        console.log(`re-drove ${count} dead letter(s) to ${naming.retryTopic(binding.topic, group)}`);
      }
    }
  } finally {
    await admin.disconnect();
    await stopLocal();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, arg] = argv;
  if (command === '--help' || command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const format = resolveLogFormat(config.logFormat);
  const logger = createLogger({ level: config.logLevel, format });

  if (command === 'services') {
    if (arg === 'start') await startServices({ rootDir: ROOT_DIR, logger });
    else if (arg === 'stop') await stopServices({ rootDir: ROOT_DIR, logger });
    else throw new ConfigError('services needs start or stop');
    return;
  }
  if (command === 'create-topics' || command === 'lag' || command === 'dlq') {
    await runKafkaCommand(config, logger, command, argv.slice(1));
    return;
  }

  if (command === 'rebuild') {
    if (arg !== undefined) throw new ConfigError(`rebuild takes no arguments\n${USAGE}`);
    const { infra, stopLocal } = await resolveInfrastructure(config, logger, false);
    try {
      const summary = await runRebuild(config, infra, logger, createProgress(process.stderr));
      logger.info(summary, 'rebuild finished');
    } finally {
      await stopLocal();
    }
    return;
  }

  const roles = rolesFor(command, arg);
  const { infra, stopLocal, startedLocal } = await resolveInfrastructure(config, logger, command === undefined || command === 'all');
  let app: App;
  try {
    app = await startApp(config, infra, roles, logger);
  } catch (err) {
    await stopLocal();
    throw err;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    // `npm start` forwards the terminal's Ctrl-C to a process that already got it: repeats are ignored,
    // and a deadline, not a second signal, bounds a shutdown that hangs.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await app.stop();
    await stopLocal();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  const running = { roles: { api: roles.api, consumers: roles.consumers }, graphql: app.apiUrl, ops: app.opsUrl };
  if (format === 'pretty' && app.apiUrl && logger.isLevelEnabled('info')) {
    process.stdout.write(startBanner({ apiUrl: app.apiUrl, opsUrl: app.opsUrl, consumerGroups: roles.consumers.length, startedLocalServices: startedLocal }));
  } else {
    logger.info({ ...running, ...(app.apiUrl ? { tryFirst: firstCommand(app.apiUrl) } : {}) }, 'timeline service running');
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Expected refusals (bad settings, refused credentials or certificates): the message, no stack.
  if (err instanceof ConfigError || err instanceof RebuildRefusedError || err instanceof ConnectionSetupError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
