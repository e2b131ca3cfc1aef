import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import { ConnectionSetupError, tlsFailure } from '../connection-error.js';

export type { Cluster, Redis };

/**
 * What every Redis adapter accepts: one Redis server or a Redis Cluster. Keys that a script or
 * MULTI writes together share a hash tag (keys.ts); anything that crosses slots goes through
 * slots.ts, which is a plain MGET or pipeline on a single server.
 */
export type RedisClient = Redis | Cluster;

/** host:port of a cluster seed node; the client discovers the others from it. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** Where Redis is: one server by URL, or a cluster by some of its nodes. */
export type RedisEndpoint = { url: string } | { clusterNodes: readonly RedisNodeAddress[] };

/**
 * How to authenticate and whether to use TLS (REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS*), for
 * one server and for every node of a cluster alike. A user or password in a `redis://` URL
 * counts too (the configuration refuses both at once).
 */
export type RedisSecurity = Pick<Config['redis'], 'username' | 'password' | 'tls'>;

const MAX_RETRIES_PER_REQUEST = 20;
const retryDelayMs = (times: number) => Math.min(50 * 2 ** times, 2000);
/** How long {@link verifyRedis} waits for a first answer before giving up on start. */
const READY_TIMEOUT_MS = 30_000;

function tlsOptions(tls: RedisSecurity['tls'] | undefined): ConnectionOptions {
  return {
    // Without a CA file Node trusts its bundled CAs, as a managed Redis's public certificate needs.
    ...(tls?.caFile ? { ca: [tls.caFile.pem] } : {}),
    ...(tls?.certFile && tls.keyFile ? { cert: tls.certFile.pem, key: tls.keyFile.pem.reveal() } : {}),
  };
}

/** Credentials and TLS for every connection, from the settings. */
function securityOptions(security: RedisSecurity | undefined, urlTls = false): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  return {
    ...(security?.username ? { username: security.username } : {}),
    ...(security?.password ? { password: security.password.reveal() } : {}),
    ...(urlTls || security?.tls.enabled ? { tls: tlsOptions(security?.tls) } : {}),
  };
}

/**
 * ioredis options of one server from a `redis[s]://[user[:password]@]host[:port][/db]` URL (as
 * REDIS_URL validates it) and the settings: TLS for `rediss://` or REDIS_TLS, the URL's user and
 * password unless the settings give them.
 */
export function redisServerOptions(url: string, security?: RedisSecurity): RedisOptions {
  const parsed = new URL(url);
  const fromUrl = {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    ...fromUrl,
    ...securityOptions(security, parsed.protocol === 'rediss:'),
  };
}

/**
 * ioredis Cluster options: every node connection (the seeds, those discovered from CLUSTER
 * SLOTS, and `duplicate()`s) authenticates and uses TLS alike. With TLS, node host names are
 * not resolved to addresses first, so each certificate is checked against the name a node is
 * known by (what managed clusters such as ElastiCache need).
 */
export function redisClusterOptions(security?: RedisSecurity): ClusterOptions {
  const node = securityOptions(security);
  return {
    enableAutoPipelining: true,
    clusterRetryStrategy: retryDelayMs,
    redisOptions: { maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST, ...node },
    ...(node.tls ? { dnsLookup: (address: string, callback: (err: Error | null, address: string) => void) => callback(null, address) } : {}),
  };
}

/**
 * One shared connection (per cluster node) per process. Commands queue while reconnecting, so a
 * Redis restart or failover delays requests instead of failing them; after 20 retries per command
 * the caller sees the error. Auto-pipelining batches concurrent commands, per node on a cluster.
 * Credentials and TLS apply to every connection, `duplicate()`s (the live feed's subscriber)
 * included. Call {@link verifyRedis} before relying on it.
 */
export function createRedis(target: RedisEndpoint, logger: Logger, security?: RedisSecurity): RedisClient {
  const client: RedisClient =
    'url' in target
      ? new Redis({
          ...redisServerOptions(target.url, security),
          maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
          enableAutoPipelining: true,
          retryStrategy: retryDelayMs,
        })
      : new Cluster(
          target.clusterNodes.map((n) => ({ host: n.host, port: n.port })),
          redisClusterOptions(security),
        );
  client.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  // A cluster reports each node's connection trouble separately, with the node's address.
  client.on('node error', (err: Error, node: string) => logger.warn({ err: err.message, node }, 'redis cluster node error'));
  return client;
}

/** Where a target is, for messages: host:port of the server or of the seed nodes, never credentials. */
function describeEndpoint(target: RedisEndpoint): string {
  if ('url' in target) {
    const { host, port } = redisServerOptions(target.url);
    return `${String(host)}:${String(port)}`;
  }
  return `the cluster nodes ${target.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
}

/** The error a cluster-wide failure carries from its last node, or the error itself. */
function nodeError(err: unknown): { message: string } {
  const last = (err as { lastNodeError?: unknown }).lastNodeError;
  return (last instanceof Error ? last : err) as { message: string };
}

/**
 * Why connecting to Redis failed, as a ConnectionSetupError naming the server, the user and the
 * settings to check; undefined when the error says nothing about settings (a server restarting).
 */
export function explainRedisError(err: unknown, target: RedisEndpoint, security?: RedisSecurity): ConnectionSetupError | undefined {
  const where = describeEndpoint(target);
  const message = String(nodeError(err).message);
  if (message.startsWith('WRONGPASS') || /invalid password/i.test(message)) {
    const url = 'url' in target ? redisServerOptions(target.url) : {};
    const user = security?.username ?? url.username ?? 'default';
    return new ConnectionSetupError(
      'redis',
      `Redis at ${where} refused the credentials for user "${user}": check REDIS_USERNAME and REDIS_PASSWORD (or the user:password in REDIS_URL) (${message})`,
    );
  }
  if (message.startsWith('NOAUTH')) {
    return new ConnectionSetupError('redis', `Redis at ${where} requires a password: set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user) (${message})`);
  }
  const tls = tlsFailure(nodeError(err)) ?? tlsFailure(err);
  if (tls?.kind === 'certificate') {
    const fix = tls.hostname
      ? "the server's certificate does not name the host connected to: connect by a name the certificate lists"
      : "set REDIS_TLS_CA_FILE to the CA that signed the server's certificate";
    return new ConnectionSetupError('redis', `TLS to Redis at ${where} failed: ${tls.reason}: ${fix}`);
  }
  if (tls?.kind === 'client-certificate') {
    return new ConnectionSetupError(
      'redis',
      `TLS to Redis at ${where} failed: ${tls.reason}: it wants a client certificate signed by a CA it trusts: check REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE`,
    );
  }
  if (tls?.kind === 'not-tls') {
    return new ConnectionSetupError('redis', `Redis at ${where} does not speak TLS on that port (${tls.reason}): use redis:// and unset REDIS_TLS, or its TLS port`);
  }
  if (tls?.kind === 'handshake') return new ConnectionSetupError('redis', `TLS to Redis at ${where} failed: ${tls.reason}`);
  return undefined;
}

/**
 * Asks one cluster seed node directly, on a connection that never retries, why it cannot be used:
 * a cluster client reports a node's TLS failure only as "Connection is closed".
 */
async function diagnoseSeed(seed: RedisNodeAddress, target: RedisEndpoint, security?: RedisSecurity): Promise<ConnectionSetupError | undefined> {
  const probe = new Redis({ host: seed.host, port: seed.port, ...securityOptions(security), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  let seen: unknown;
  probe.on('error', (err: Error) => (seen ??= err));
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (err) {
    return explainRedisError(seen ?? err, target, security) ?? explainRedisError(err, target, security);
  } finally {
    probe.disconnect();
  }
}

/**
 * Resolves once the client's Redis answers PING. Rejects with a ConnectionSetupError as soon as
 * the server refuses the credentials or TLS fails (ioredis would otherwise reconnect forever), or
 * after 30 s without an answer. The caller disconnects the client when it rejects.
 */
export async function verifyRedis(client: RedisClient, target: RedisEndpoint, security?: RedisSecurity): Promise<void> {
  const where = describeEndpoint(target);
  const tlsOn = security?.tls.enabled === true || ('url' in target && /^rediss:/i.test(target.url));
  let last: { message: string } | undefined;
  const unexplained = await new Promise<boolean>((resolve, reject) => {
    const settle = (outcome: ConnectionSetupError | 'ok' | 'unexplained') => {
      clearTimeout(timer);
      client.off('error', onError);
      client.off('node error', onError);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome === 'unexplained');
    };
    const onError = (err: Error) => {
      last = err;
      const explained = explainRedisError(err, target, security);
      if (explained) settle(explained);
    };
    const timer = setTimeout(() => settle('unexplained'), READY_TIMEOUT_MS);
    client.on('error', onError);
    client.on('node error', onError);
    client.ping().then(
      () => settle('ok'),
      (err: Error) => {
        last = err;
        settle(explainRedisError(err, target, security) ?? 'unexplained');
      },
    );
  });
  if (!unexplained) return;
  const seed = 'clusterNodes' in target ? target.clusterNodes[0] : undefined;
  const diagnosed = seed ? await diagnoseSeed(seed, target, security) : undefined;
  if (diagnosed) throw diagnosed;
  const hint = tlsOn ? '' : ' (if it listens for TLS only, use rediss:// or REDIS_TLS=true)';
  throw new ConnectionSetupError('redis', `Redis at ${where} did not answer${last ? `: ${nodeError(last).message}` : ''}${hint}`);
}
