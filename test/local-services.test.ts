import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis, type RedisOptions } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { pidAlive } from '../src/local/free-port.js';
import { startLocalKafka } from '../src/local/kafka-broker.js';
import { startLocalRedis } from '../src/local/redis-server.js';
import { createLocalTls } from '../src/local/tls.js';

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

/** Redis protocol round trip without a client library: one inline command, first reply line. */
async function ping(port: number): Promise<string> {
  return new Promise((res, rej) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (d: Buffer) => {
      socket.destroy();
      res(d.toString('utf8').trim());
    });
    socket.once('error', rej);
  });
}

describe('local services', () => {
  it('starts and stops a real redis-server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-redis-'));
    try {
      const redis = await startLocalRedis({ dataDir, logger });
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await ping(redis.port)).toBe('+PONG');
      await redis.stop();
      expect(await pidAlive(redis.pid)).toBe(false);
      await expect(ping(redis.port)).rejects.toThrow();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('starts a redis-server that serves TLS only to an ACL user, and stops it through that user', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-redis-tls-'));
    const clients: Redis[] = [];
    const client = (options: RedisOptions) => {
      const c = new Redis({ ...options, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    };
    try {
      const tls = await createLocalTls(join(dataDir, 'tls'));
      const redis = await startLocalRedis({ dataDir, logger, tls, auth: { users: [{ name: 'app', password: 'app-pass' }] } });
      expect(redis.url).toBe(`rediss://127.0.0.1:${redis.port}`);
      expect(redis.connection).toMatchObject({ username: 'app', password: 'app-pass', tls: { ca: [expect.stringContaining('BEGIN CERTIFICATE')] } });
      expect(await client(redis.connection).ping()).toBe('PONG');
      // The default user is off; a wrong password is refused; plaintext gets no answer.
      const { username: _, password: __, ...anonymous } = redis.connection;
      await expect(client(anonymous).ping()).rejects.toThrow(/NOAUTH/);
      await expect(client({ ...redis.connection, password: 'wrong' }).ping()).rejects.toThrow(/WRONGPASS/);
      await expect(client({ host: '127.0.0.1', port: redis.port, connectTimeout: 2_000 }).ping()).rejects.toThrow();
      await redis.stop();
      expect(await pidAlive(redis.pid)).toBe(false);
      // It was asked to stop (SHUTDOWN over TLS, as the ACL user), not killed.
      expect(await readFile(join(dataDir, 'redis.log'), 'utf8')).toMatch(/User requested shutdown/);
    } finally {
      for (const c of clients) c.disconnect();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('starts a real KRaft Kafka broker that can create, produce and consume', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-kafka-'));
    try {
      const broker = await startLocalKafka({ rootDir, dataDir, logger });
      try {
        const kafka = new Kafka({ clientId: 'local-test', brokers: broker.brokers, logLevel: logLevel.NOTHING });
        const admin = kafka.admin();
        await admin.connect();
        expect(await admin.createTopics({ topics: [{ topic: 'local-test', numPartitions: 1 }], waitForLeaders: true })).toBe(true);
        await admin.disconnect();

        const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
        await producer.connect();
        await producer.send({ topic: 'local-test', messages: [{ key: 'k', value: 'hello' }] });
        await producer.disconnect();

        const consumer = kafka.consumer({ groupId: 'local-test-group' });
        await consumer.connect();
        await consumer.subscribe({ topic: 'local-test', fromBeginning: true });
        const received = await new Promise<string>((res) => {
          void consumer.run({ eachMessage: async ({ message }) => res(message.value?.toString() ?? '') });
        });
        await consumer.disconnect();
        expect(received).toBe('hello');
      } finally {
        await broker.stop();
      }
      expect(await pidAlive(broker.pid)).toBe(false);

      // A restart reuses the formatted storage (and the topic) on new ports.
      const again = await startLocalKafka({ rootDir, dataDir, logger });
      try {
        const admin = new Kafka({ clientId: 'local-test', brokers: again.brokers, logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        expect(await admin.listTopics()).toContain('local-test');
        await admin.disconnect();
      } finally {
        await again.stop();
      }
      expect(await pidAlive(again.pid)).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
