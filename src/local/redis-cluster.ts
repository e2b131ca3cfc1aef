import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import { freePort } from './free-port.js';
import { startLocalRedis, type LocalRedis, type StartLocalRedisOptions } from './redis-server.js';

const SLOT_COUNT = 16384;
const FORM_TIMEOUT_MS = 30_000;

/** A Redis Cluster of local `redis-server` children on 127.0.0.1, masters only, no persistence. */
export interface LocalRedisCluster {
  /** Every master's address: seed nodes for REDIS_CLUSTER_NODES or an ioredis Cluster. */
  nodes: { host: string; port: number }[];
  /** The servers; the i-th serves the i-th equal share of the slots. */
  servers: LocalRedis[];
  /** Stops every server and waits for them to exit. Idempotent. */
  stop(): Promise<void>;
}

export interface StartLocalRedisClusterOptions {
  /** One sub-folder per node (`node-<i>`: log, nodes.conf). */
  dataDir: string;
  logger: Logger;
  /** Masters, each serving an equal share of the 16384 slots; default 3 (the fewest Redis recommends). */
  masters?: number;
  /**
   * Every node requires it, as startLocalRedis's `auth`; replicas would authenticate to their
   * master with the password (masterauth) or the first ACL user (masteruser).
   */
  auth?: StartLocalRedisOptions['auth'];
  /** Every node serves TLS only, and the cluster bus runs over TLS too (tls-cluster). */
  tls?: StartLocalRedisOptions['tls'];
}

/** Arguments that make a replica authenticate to its master as clients do. */
function replicationAuthArgs(auth: StartLocalRedisOptions['auth']): string[] {
  if (auth?.password !== undefined) return ['--masterauth', auth.password];
  const user = auth?.users?.[0];
  return user ? ['--masteruser', user.name, '--masterauth', user.password] : [];
}

/** `count` distinct ports that were free a moment ago. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function clusterInfo(client: Redis): Promise<Record<string, string>> {
  const text = String(await client.call('CLUSTER', 'INFO'));
  return Object.fromEntries(text.split('\r\n').filter(Boolean).map((line) => line.split(':') as [string, string]));
}

/**
 * Starts `masters` redis-servers with `--cluster-enabled yes` on free ports (cluster bus ports
 * chosen free too, not port + 10000), assigns each an equal range of slots, introduces them with
 * CLUSTER MEET and resolves once every node reports `cluster_state:ok` and knows all the others.
 * Rejects (after stopping what it started) when redis-server is missing or the cluster does not
 * form within 30 s.
 */
export async function startLocalRedisCluster(opts: StartLocalRedisClusterOptions): Promise<LocalRedisCluster> {
  const count = opts.masters ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new Error(`masters must be a positive integer, not ${count}`);
  const servers: LocalRedis[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= Promise.all(servers.map((s) => s.stop())).then(() => undefined));

  try {
    const ports = await distinctFreePorts(2 * count);
    const busPorts = ports.slice(count);
    for (let i = 0; i < count; i++) {
      servers.push(
        await startLocalRedis({
          dataDir: join(opts.dataDir, `node-${i}`),
          port: ports[i]!,
          logger: opts.logger,
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPorts[i]),
            '--cluster-node-timeout', '5000', ...replicationAuthArgs(opts.auth),
            ...(opts.tls ? ['--tls-cluster', 'yes', '--tls-replication', 'yes'] : [])],
          auth: opts.auth,
          tls: opts.tls,
        }),
      );
    }
    const admins = servers.map((s) => new Redis({ ...s.connection, maxRetriesPerRequest: 1 }));
    try {
      await Promise.all(
        admins.map(async (admin, i) => {
          // Distinct epochs up front, as redis-cli --cluster create does, so no collision needs resolving.
          await admin.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1));
          const from = Math.floor((i * SLOT_COUNT) / count);
          const to = Math.floor(((i + 1) * SLOT_COUNT) / count) - 1;
          await admin.call('CLUSTER', 'ADDSLOTSRANGE', String(from), String(to));
        }),
      );
      for (let i = 1; i < count; i++) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(servers[i]!.port), String(busPorts[i]));

      const deadline = Date.now() + FORM_TIMEOUT_MS;
      for (;;) {
        const infos = await Promise.all(admins.map(clusterInfo));
        if (infos.every((info) => info.cluster_state === 'ok' && Number(info.cluster_known_nodes) === count)) break;
        if (Date.now() > deadline) throw new Error(`local Redis Cluster did not form in ${FORM_TIMEOUT_MS} ms: ${JSON.stringify(infos)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      for (const admin of admins) admin.disconnect();
    }
    const nodes = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
    opts.logger.info({ nodes: nodes.map((n) => `${n.host}:${n.port}`) }, 'local Redis Cluster formed');
    return { nodes, servers, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
