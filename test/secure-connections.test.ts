import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, kafkaTarget } from '../src/adapters/kafka/client.js';
import { loadConfig } from '../src/config/index.js';
import { startLocalKafka, type LocalKafka } from '../src/local/kafka-broker.js';
import { startLocalRedisCluster, type LocalRedisCluster } from '../src/local/redis-cluster.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLocalTls, type LocalTls } from '../src/local/tls.js';
import { createLogger } from '../src/observability/logger.js';
import { eventually } from './harness/poll.js';
import { runService, type ServiceProcess } from './harness/processes.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT_DIR, 'dist', 'main.js');
const HOME = 'subscription { homeTimeline { node { id text } } }';
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-secure' });

// Fresh each run, so a password found in a log line can only have come from this run's settings.
const KAFKA_PASSWORD = `kafka-${randomBytes(8).toString('hex')}`;
const REDIS_PASSWORD = `redis-${randomBytes(8).toString('hex')}`;
const CLUSTER_PASSWORD = `cluster-${randomBytes(8).toString('hex')}`;

/**
 * A fresh broker creates and loads its offsets topic when the first group joins, which takes
 * minutes on a loaded machine: a throw-away group joins here, through the service's own client,
 * so that no test pays for it.
 */
async function warmUp(env: Record<string, string>): Promise<void> {
  const config = loadConfig(env);
  const kafka = createKafka({ ...kafkaTarget(config, config.kafka.brokers!), logger });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'warm-up', numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: 'warm-up' });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.connect();
  await consumer.subscribe({ topic: 'warm-up' });
  await consumer.run({ eachMessage: async () => undefined });
  await joined;
  await consumer.disconnect();
}

/**
 * The service against a managed-style deployment, all real and local: a KRaft broker whose only
 * client listener is SASL_SSL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; certificates from keytool), a
 * redis-server serving TLS only to an ACL user, and a Redis Cluster whose nodes require a
 * password over TLS. Settings reach the service as environment variables, as in a deployment.
 */
describe('secured connections: Kafka over SASL_SSL, Redis with ACL users and TLS', () => {
  let dataDir: string;
  let tls: LocalTls;
  let broker: LocalKafka;
  let redis: LocalRedis;
  let cluster: LocalRedisCluster | undefined;
  const apps: TestApp[] = [];
  const procs: ServiceProcess[] = [];

  /** Environment of a deployment on the secured broker and Redis (SCRAM-SHA-512 unless overridden). */
  const secureEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    KAFKA_BROKERS: broker.brokers.join(','),
    KAFKA_TLS: 'true',
    KAFKA_TLS_CA_FILE: tls.caFile,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'timeline',
    KAFKA_SASL_PASSWORD: KAFKA_PASSWORD,
    REDIS_URL: redis.url,
    REDIS_USERNAME: 'timeline',
    REDIS_PASSWORD: REDIS_PASSWORD,
    REDIS_TLS_CA_FILE: tls.caFile,
    ...overrides,
  });
  const start = async (env: Record<string, string>, on: { redisCluster?: LocalRedisCluster; redis?: LocalRedis; kafkaBrokers?: string[] } = {}) => {
    const t = await startTestApp({
      env,
      kafkaBrokers: on.kafkaBrokers ?? broker.brokers,
      ...(on.redisCluster ? { redisCluster: on.redisCluster } : { redis: on.redis ?? redis }),
    });
    apps.push(t);
    // A fresh broker loads its group coordinator for a while: post once every group has joined.
    const readyz = new URL('/readyz', t.url);
    await eventually(async () => (await fetch(readyz)).status, (status) => status === 200, { what: 'every consumer group joined', timeoutMs: 120_000 });
    return t;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'test-secure-'));
    tls = await createLocalTls(path.join(dataDir, 'tls'));
    [broker, redis] = await Promise.all([
      startLocalKafka({
        rootDir: ROOT_DIR,
        dataDir: path.join(dataDir, 'kafka'),
        logger,
        saslSsl: { tls, users: [{ name: 'timeline', password: KAFKA_PASSWORD }], mutualTls: true },
      }),
      startLocalRedis({ dataDir: path.join(dataDir, 'redis'), logger, tls, auth: { users: [{ name: 'timeline', password: REDIS_PASSWORD }] } }),
    ]);
    await warmUp(secureEnv());
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    for (const t of apps) await t.stop().catch(() => undefined);
    await cluster?.stop();
    await redis?.stop();
    await broker?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the backbone over SCRAM-SHA-512 and TLS, with an ACL user over TLS on Redis: post → stored → fanned out → home timeline and live push', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    const t = await start(secureEnv());
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    await follow(t, bob, alice.handle);
    // The live feed's subscriber is a duplicate() of the shared connection: it must authenticate too.
    const live = subscribe(t.url, HOME, { token: bob.token });
    try {
      await subscriptionsActive(t.app);
      const id = await postTweet(t, alice, 'hello over SASL_SSL');
      const stored = await eventually(
        () => t.gql<{ tweet: { text: string } | null }>('query($id: ID!) { tweet(id: $id) { text } }', { id }),
        (r) => r.data?.tweet?.text === 'hello over SASL_SSL',
        { what: 'the tweet stored' },
      );
      expect(stored.data?.tweet?.text).toBe('hello over SASL_SSL');
      const page = await eventually(() => homeTimeline(t, bob), (p) => p.edges[0]?.node.id === id, { what: "the tweet in bob's home timeline" });
      expect(page.edges[0]!.node.author.handle).toBe(alice.handle);
      await eventually(async () => live.results.length, (n) => n >= 1, { what: 'the live push' });
      expect((live.results[0]!.data as { homeTimeline: { node: { id: string } } }).homeTimeline.node.id).toBe(id);
    } finally {
      await live.dispose();
    }
  }, 300_000);

  it('runs with SCRAM-SHA-256, and with SASL PLAIN with both passwords read from mounted files', async () => {
    const kafkaFile = path.join(dataDir, 'kafka-password');
    const redisFile = path.join(dataDir, 'redis-password');
    writeFileSync(kafkaFile, `${KAFKA_PASSWORD}\n`, { mode: 0o600 });
    writeFileSync(redisFile, `${REDIS_PASSWORD}\n`, { mode: 0o600 });
    const variants = [
      secureEnv({ KAFKA_SASL_MECHANISM: 'scram-sha-256' }),
      secureEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: '', KAFKA_SASL_PASSWORD_FILE: kafkaFile, REDIS_PASSWORD: '', REDIS_PASSWORD_FILE: redisFile }),
    ];
    for (const env of variants) {
      const t = await start(env);
      const author = await signUp(t, 'author');
      const reader = await signUp(t, 'reader');
      await follow(t, reader, author.handle);
      const id = await postTweet(t, author, `over ${env.KAFKA_SASL_MECHANISM}`);
      await eventually(() => homeTimeline(t, reader), (p) => p.edges[0]?.node.id === id, { what: `fan-out over ${env.KAFKA_SASL_MECHANISM}` });
      await t.stop();
    }
  }, 300_000);

  it('fails the start at once, with a message naming the user and the settings, on a wrong Kafka password', async () => {
    const wrong = `wrong-${randomBytes(4).toString('hex')}`;
    for (const mechanism of ['scram-sha-512', 'plain'] as const) {
      const failure = start(secureEnv({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_PASSWORD: wrong }));
      await expect(failure).rejects.toThrow(
        new RegExp(`^Kafka refused the credentials for user "timeline" \\(SASL ${mechanism.toUpperCase()}\\) at 127\\.0\\.0\\.1:\\d+: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`),
      );
      await expect(failure).rejects.not.toThrow(wrong);
    }
    await expect(start(secureEnv({ KAFKA_SASL_USERNAME: 'nobody' }))).rejects.toThrow(/refused the credentials for user "nobody"/);
  }, 60_000);

  it('fails the start at once, naming the user and the settings, on a wrong or missing Redis password', async () => {
    const wrong = `wrong-${randomBytes(4).toString('hex')}`;
    const failure = start(secureEnv({ REDIS_PASSWORD: wrong }));
    await expect(failure).rejects.toThrow(
      /^Redis at 127\.0\.0\.1:\d+ refused the credentials for user "timeline": check REDIS_USERNAME and REDIS_PASSWORD .*WRONGPASS/,
    );
    await expect(failure).rejects.not.toThrow(wrong);
    await expect(start(secureEnv({ REDIS_USERNAME: '', REDIS_PASSWORD: '' }))).rejects.toThrow(/^Redis at 127\.0\.0\.1:\d+ requires a password: set REDIS_PASSWORD/);
  }, 60_000);

  it('fails the start at once when a server certificate is not trusted', async () => {
    await expect(start(secureEnv({ KAFKA_TLS_CA_FILE: '' }))).rejects.toThrow(/^TLS to Kafka at 127\.0\.0\.1:\d+ failed: .*certificate.*: set KAFKA_TLS_CA_FILE/);
    await expect(start(secureEnv({ REDIS_TLS_CA_FILE: '' }))).rejects.toThrow(/^TLS to Redis at 127\.0\.0\.1:\d+ failed: .*certificate.*: set REDIS_TLS_CA_FILE/);
  }, 60_000);

  it('presents a client certificate where the broker and Redis require one, and fails the start clearly without it', async () => {
    const mutualRedis = await startLocalRedis({
      dataDir: path.join(dataDir, 'redis-mutual-tls'),
      logger,
      tls,
      requireClientCertificate: true,
      auth: { password: REDIS_PASSWORD },
    });
    try {
      const kafkaBrokers = broker.mutualTlsBrokers!;
      const env = secureEnv({
        KAFKA_BROKERS: kafkaBrokers.join(','),
        KAFKA_TLS_CERT_FILE: tls.clientCertFile,
        KAFKA_TLS_KEY_FILE: tls.clientKeyFile,
        REDIS_URL: mutualRedis.url,
        REDIS_USERNAME: '',
        REDIS_TLS_CERT_FILE: tls.clientCertFile,
        REDIS_TLS_KEY_FILE: tls.clientKeyFile,
      });
      const t = await start(env, { kafkaBrokers, redis: mutualRedis });
      const author = await signUp(t, 'mtls');
      const id = await postTweet(t, author, 'with a client certificate');
      await eventually(() => homeTimeline(t, author), (p) => p.edges[0]?.node.id === id, { what: 'fan-out with client certificates' });
      await t.stop();

      const noKafkaCertificate = { ...env, KAFKA_TLS_CERT_FILE: '', KAFKA_TLS_KEY_FILE: '' };
      await expect(start(noKafkaCertificate, { kafkaBrokers, redis: mutualRedis })).rejects.toThrow(
        /^TLS to Kafka at 127\.0\.0\.1:\d+ failed: the server answered with the TLS alert "[a-z ]+": it wants a client certificate .*: check KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE$/,
      );
      const noRedisCertificate = { ...env, REDIS_TLS_CERT_FILE: '', REDIS_TLS_KEY_FILE: '' };
      await expect(start(noRedisCertificate, { kafkaBrokers, redis: mutualRedis })).rejects.toThrow(
        /^TLS to Redis at 127\.0\.0\.1:\d+ failed: the server answered with the TLS alert "[a-z ]+": it wants a client certificate .*: check REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE$/,
      );
    } finally {
      await mutualRedis.stop();
    }
  }, 300_000);

  it('runs on a Redis Cluster whose nodes require a password over TLS', async () => {
    cluster = await startLocalRedisCluster({ dataDir: path.join(dataDir, 'cluster'), logger, tls, auth: { password: CLUSTER_PASSWORD } });
    const nodes = cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',');
    const env = secureEnv({ REDIS_URL: '', REDIS_USERNAME: '', REDIS_CLUSTER_NODES: nodes, REDIS_PASSWORD: CLUSTER_PASSWORD, REDIS_TLS: 'true' });
    await expect(start({ ...env, REDIS_PASSWORD: 'not-it' }, { redisCluster: cluster })).rejects.toThrow(
      /^Redis at the cluster nodes .* refused the credentials for user "default"/,
    );
    const t = await start(env, { redisCluster: cluster });
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    await follow(t, bob, alice.handle);
    const live = subscribe(t.url, HOME, { token: bob.token });
    try {
      await subscriptionsActive(t.app);
      const id = await postTweet(t, alice, 'hello, secured cluster');
      await eventually(() => homeTimeline(t, bob), (p) => p.edges[0]?.node.id === id, { what: "the tweet in bob's home timeline on the cluster" });
      await eventually(async () => live.results.length, (n) => n >= 1, { what: 'the live push on the cluster' });
    } finally {
      await live.dispose();
    }
  }, 300_000);

  it('the built service never logs a password, even at debug level, and exits 2 with the message alone on a wrong one', async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    const env = secureEnv({ KAFKA_NAMESPACE: `secure${process.pid}.`, KAFKA_PARTITIONS: '2', PORT: '0', LOG_LEVEL: 'debug' });
    const service = runService([], env);
    procs.push(service);
    const running = await eventually(async () => service.logged('timeline service running'), (e) => e !== undefined, { what: 'the service', timeoutMs: 90_000 });
    const url = String(running!.graphql);
    await eventually(async () => (await fetch(new URL('/readyz', url))).status, (status) => status === 200, { what: 'the service ready', timeoutMs: 120_000 });
    const gql = async (query: string, token?: string) =>
      (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) })).json()) as {
        data?: Record<string, { token?: string; id?: string; edges?: { node: { id: string } }[] }>;
      };
    const token = (await gql('mutation { signUp(handle: "secure_user", password: "longenough") { token } }')).data!.signUp!.token!;
    const id = (await gql('mutation { postTweet(text: "logged safely") { id } }', token)).data!.postTweet!.id!;
    await eventually(() => gql('{ homeTimeline { edges { node { id } } } }', token), (r) => r.data?.homeTimeline?.edges?.[0]?.node.id === id, { what: 'the post through the built service' });
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.lines.filter((l) => l.includes('"level":20')).length, 'debug lines were logged').toBeGreaterThan(0);
    expect(service.logged('connected to Kafka and Redis')).toMatchObject({
      kafka: { tls: true, sasl: 'scram-sha-512', user: 'timeline' },
      redis: { tls: true, auth: 'password' },
    });

    // The operator's commands use the same connection settings.
    const lag = runService(['lag'], env);
    const dlq = runService(['dlq', 'list', 'fanout'], env);
    procs.push(lag, dlq);
    expect(await lag.exited).toBe(0);
    expect(lag.lines.join("\n")).toMatch(/total lag: \d+/);
    expect(await dlq.exited).toBe(0);
    expect(dlq.lines.join('\n')).toMatch(/0 dead letter\(s\) in secure\d+\.tweets\.fanout\.dlq/);

    const wrong = runService(['serve'], { ...env, KAFKA_SASL_PASSWORD: 'not-the-password' });
    procs.push(wrong);
    expect(await wrong.exited).toBe(2);
    const output = wrong.lines.join('\n');
    expect(output).toMatch(/Kafka refused the credentials for user "timeline" \(SASL SCRAM-SHA-512\)/);
    expect(output, 'no stack trace').not.toMatch(/^\s+at /m);

    for (const [name, lines] of [['service', service.lines], ['lag', lag.lines], ['dlq', dlq.lines], ['refused service', wrong.lines]] as const) {
      for (const secret of [KAFKA_PASSWORD, REDIS_PASSWORD, 'not-the-password']) {
        const leaking = lines.filter((line) => line.includes(secret));
        expect(leaking, `${name} logged a password`).toEqual([]);
      }
    }
  }, 300_000);
});
