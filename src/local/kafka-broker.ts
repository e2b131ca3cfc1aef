import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../observability/logger.js';
import { ensureKafkaJars } from './kafka-jars.js';
import { findOnPath, freePort, isPortFree, spawnService, tailFile, terminatePid } from './free-port.js';
import { checkLocalUser, type LocalTls, type LocalUser } from './tls.js';
import { describeClusterOnce, type ProbeSecurity } from '../adapters/kafka/probe.js';

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 30_000;

/** A running single-node KRaft broker+controller. */
export interface LocalKafka {
  /** Bootstrap addresses for clients, e.g. `['127.0.0.1:9092']`. */
  brokers: string[];
  /** Bootstrap addresses of the listener that requires client certificates (`saslSsl.mutualTls`). */
  mutualTlsBrokers?: string[];
  dataDir: string;
  /** JVM pid (also in `<dataDir>/kafka.pid` when detached). */
  pid: number;
  /** SIGTERM, wait for a clean exit (SIGKILL after 30 s). Idempotent. */
  stop(): Promise<void>;
}

export interface StartLocalKafkaOptions {
  /** Repo root: holds `kafka/pom.xml` and the `.local/` jar cache. */
  rootDir: string;
  /** Broker state (formatted storage, configs, broker.log); reused across restarts. */
  dataDir: string;
  /** PLAINTEXT (or SASL_SSL) port; a free port when omitted. The controller port is always a free one. */
  port?: number;
  /**
   * Serve clients on a SASL_SSL listener instead of PLAINTEXT: TLS with `tls`'s keystore, and
   * SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for `users`. SCRAM users are stored when the
   * storage is formatted, so a reused `dataDir` keeps the users of its first start.
   */
  saslSsl?: {
    tls: LocalTls;
    users: readonly LocalUser[];
    /** Also a second SASL_SSL listener (on a free port) that requires a client certificate signed by the CA. */
    mutualTls?: boolean;
  };
  logger: Logger;
  /** JVM -Xmx in MB (default 512). */
  heapMb?: number;
  /**
   * Survive this process (for `npm run services`): own session, stdio to files, pid in
   * `<dataDir>/kafka.pid`. Otherwise the JVM is tied to this process and dies with it.
   */
  detached?: boolean;
}

/** Kafka cluster ids are 16 random bytes in base64url (22 chars); Kafka avoids a leading '-' for CLI parsing, so do we. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** A value kept in a file of the data dir, made once: what formatted storage remembers must not change. */
async function readOrCreate(file: string, make: () => string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const value = make();
    await writeFile(file, `${value}\n`, { mode: 0o600 });
    return value;
  }
}

/** `--add-scram` arguments of the storage format: every user under both SCRAM mechanisms. */
function scramArguments(listener: SaslSslListener | undefined): string[] {
  if (!listener) return [];
  return [listener.broker, ...listener.users].flatMap((u) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${u.name},password=${u.password}]`]),
  );
}

/** The broker's own account on a SASL_SSL listener (inter-broker traffic and the readiness probe). */
interface SaslSslListener {
  tls: LocalTls;
  users: readonly LocalUser[];
  broker: LocalUser;
  /** Port of a second SASL_SSL listener that also requires a client certificate. */
  mutualTlsPort?: number;
}

/** JAAS configurations of one SASL listener: PLAIN users inline, SCRAM users in KRaft. */
function jaasProperties(listener: string, l: SaslSslListener): Record<string, string> {
  const all = [l.broker, ...l.users];
  const login = (module: string, extra = '') =>
    `org.apache.kafka.common.security.${module} required username="${l.broker.name}" password="${l.broker.password}"${extra};`;
  return {
    [`listener.name.${listener}.plain.sasl.jaas.config`]: login('plain.PlainLoginModule', all.map((u) => ` user_${u.name}="${u.password}"`).join('')),
    [`listener.name.${listener}.scram-sha-256.sasl.jaas.config`]: login('scram.ScramLoginModule'),
    [`listener.name.${listener}.scram-sha-512.sasl.jaas.config`]: login('scram.ScramLoginModule'),
  };
}

/** Listener, TLS and SASL properties of a SASL_SSL client listener (and of the mutual-TLS one, if asked). */
function saslSslProperties(l: SaslSslListener): Record<string, string> {
  const keystore = l.tls.keystoreFile.replaceAll('\\', '/');
  return {
    'listener.security.protocol.map': 'SASL_SSL:SASL_SSL,MTLS:SASL_SSL,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'SASL_SSL',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    ...jaasProperties('sasl_ssl', l),
    ...(l.mutualTlsPort === undefined ? {} : { ...jaasProperties('mtls', l), 'listener.name.mtls.ssl.client.auth': 'required' }),
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': keystore,
    'ssl.keystore.password': l.tls.keystorePassword,
    'ssl.key.password': l.tls.keystorePassword,
    // The keystore holds the CA as a trusted entry too: the broker's own client side trusts it,
    // and so does the mutual-TLS listener for client certificates.
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': keystore,
    'ssl.truststore.password': l.tls.keystorePassword,
    'ssl.client.auth': 'none',
  };
}

function serverProperties(p: { port: number; controllerPort: number; logDirs: string; saslSsl?: SaslSslListener }): string {
  const protocol = p.saslSsl ? 'SASL_SSL' : 'PLAINTEXT';
  const mutual = p.saslSsl?.mutualTlsPort === undefined ? [] : [`MTLS://127.0.0.1:${p.saslSsl.mutualTlsPort}`];
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    // Static voters (kraft.version 0): no voter endpoints are persisted, so ports may change between restarts.
    'controller.quorum.voters': `1@127.0.0.1:${p.controllerPort}`,
    listeners: [`${protocol}://127.0.0.1:${p.port}`, ...mutual, `CONTROLLER://127.0.0.1:${p.controllerPort}`].join(','),
    'advertised.listeners': [`${protocol}://127.0.0.1:${p.port}`, ...mutual].join(','),
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    ...(p.saslSsl ? saslSslProperties(p.saslSsl) : {}),
    'log.dirs': p.logDirs,
    'num.partitions': 1,
    'auto.create.topics.enable': false,
    // Single node: every internal topic must be RF 1, and fewer partitions keep startup fast.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
  };
  return Object.entries(props)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')
    .concat('\n');
}

function log4j2Properties(brokerLog: string): string {
  // Java properties treat '\' as an escape; forward slashes are fine for log4j on every OS.
  const file = brokerLog.replaceAll('\\', '/');
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${file}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = FILE',
    // State-change and request logs are very chatty at INFO.
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    '',
  ].join('\n');
}

/**
 * Polls until the broker describes *our* cluster (the id check guards against a foreign
 * broker on the same port); rejects if `exited()` or at the deadline.
 */
async function waitUntilReady(
  broker: string,
  clusterId: string,
  security: ProbeSecurity,
  exited: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not attempted';
  while (Date.now() < deadline) {
    if (exited()) throw new Error('exited');
    try {
      const cluster = await describeClusterOnce([broker], security);
      if (cluster.clusterId === clusterId && cluster.brokers > 0) return;
      lastError = `cluster id ${cluster.clusterId} is not ours (${clusterId})`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms (last error: ${lastError})`);
}

/**
 * Starts a real single-node Kafka (KRaft broker+controller) on 127.0.0.1 from Maven-resolved
 * jars and resolves once a client can `describeCluster()`. Storage in `dataDir` is formatted
 * once (cluster id kept in `<dataDir>/cluster.id`) and reused on later starts. Broker logs go
 * to `<dataDir>/broker.log`, JVM stdout/stderr to `<dataDir>/kafka.out`.
 * Rejects (after killing the JVM) if it exits early or is not ready within 90 s; the error
 * carries the tail of those logs.
 */
export async function startLocalKafka(opts: StartLocalKafkaOptions): Promise<LocalKafka> {
  const started = Date.now();
  const java = await findOnPath('java');
  if (java === undefined) throw new Error('java not found on PATH: install a JDK 17+ (apt-get install openjdk-17-jre-headless)');
  const libDir = await ensureKafkaJars({ rootDir: opts.rootDir, logger: opts.logger });

  await mkdir(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined && !(await isPortFree(port))) {
    throw new Error(`cannot start Kafka: 127.0.0.1:${port} is already in use`);
  }
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  let mutualTlsPort = opts.saslSsl?.mutualTls ? await freePort() : undefined;
  while (mutualTlsPort !== undefined && (mutualTlsPort === port || mutualTlsPort === controllerPort)) mutualTlsPort = await freePort();
  const logDirs = join(opts.dataDir, 'logs');
  const propsFile = join(opts.dataDir, 'server.properties');
  const log4jFile = join(opts.dataDir, 'log4j2.properties');
  const brokerLog = join(opts.dataDir, 'broker.log');
  const stdoutFile = join(opts.dataDir, 'kafka.out');
  const pidFile = join(opts.dataDir, 'kafka.pid');
  const saslSsl = opts.saslSsl && {
    tls: opts.saslSsl.tls,
    users: opts.saslSsl.users.map(checkLocalUser),
    // Its SCRAM credential is stored at format time, so its password outlives this start.
    broker: { name: 'local-broker', password: await readOrCreate(join(opts.dataDir, 'broker.password'), () => randomBytes(12).toString('hex')) },
    mutualTlsPort,
  };
  await writeFile(propsFile, serverProperties({ port, controllerPort, logDirs, saslSsl }));
  await writeFile(log4jFile, log4j2Properties(brokerLog));

  const classpath = `${join(libDir, '*')}`; // the JVM expands '<dir>/*' itself; no shell involved
  const log4jOpt = `-Dlog4j2.configurationFile=${log4jFile}`;
  const clusterId = await readOrCreate(join(opts.dataDir, 'cluster.id'), newClusterId);
  const formatted = await access(join(logDirs, 'meta.properties')).then(() => true, () => false);
  if (!formatted) {
    try {
      await execFileAsync(java, [log4jOpt, '-cp', classpath, 'kafka.tools.StorageTool', 'format',
        '-t', clusterId, '-c', propsFile, '--ignore-formatted', ...scramArguments(saslSsl)]);
    } catch (err) {
      // Not e.message: it repeats the command line, SCRAM passwords included.
      const e = err as { code?: number | string; stdout?: string; stderr?: string };
      throw new Error(`Kafka storage format failed (${String(e.code)}):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }

  const heapMb = opts.heapMb ?? 512;
  const detached = opts.detached ?? false;
  const child = await spawnService(java, [
    `-Xmx${heapMb}m`, `-Xms${Math.min(heapMb, 256)}m`,
    // Same GC settings as Kafka's kafka-run-class.sh, so benchmarks see a realistic broker.
    '-server', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
    log4jOpt, '-cp', classpath, 'kafka.Kafka', propsFile,
  ], { detached, stdoutFile });
  const pid = child.pid as number; // spawnService throws when there is no pid
  if (detached) await writeFile(pidFile, `${pid}\n`);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await terminatePid(pid, STOP_GRACE_MS);
      if (detached) await rm(pidFile, { force: true });
    })();
    return stopped;
  };

  const broker = `127.0.0.1:${port}`;
  try {
    const probeSecurity: ProbeSecurity = saslSsl
      ? { ssl: { ca: [await readFile(saslSsl.tls.caFile, 'utf8')] }, sasl: { mechanism: 'scram-sha-512', username: saslSsl.broker.name, password: saslSsl.broker.password } }
      : {};
    await waitUntilReady(broker, clusterId, probeSecurity, () => child.exitCode !== null || child.signalCode !== null, READY_TIMEOUT_MS);
  } catch (err) {
    await stop();
    // JVM stderr (OOM, bad flags) first; skip the tab-indented config dumps that fill broker.log.
    const tail = [await tailFile(stdoutFile, 20), await tailFile(brokerLog, 40, /^\t/)]
      .filter((t) => t !== '').join('\n--- broker.log ---\n');
    const why = (err as Error).message === 'exited'
      ? `exited early (code ${String(child.exitCode)}, signal ${String(child.signalCode)})`
      : (err as Error).message;
    throw new Error(`local Kafka broker on ${broker} failed to start: ${why}\n${tail}`);
  }
  opts.logger.info({ brokers: [broker], listener: saslSsl ? 'SASL_SSL' : 'PLAINTEXT', childPid: pid, dataDir: opts.dataDir, ms: Date.now() - started }, 'local Kafka broker started');
  const mutualTlsBrokers = mutualTlsPort === undefined ? {} : { mutualTlsBrokers: [`127.0.0.1:${mutualTlsPort}`] };
  return { brokers: [broker], ...mutualTlsBrokers, dataDir: opts.dataDir, pid, stop };
}
