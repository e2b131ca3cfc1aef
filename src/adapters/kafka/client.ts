import { Kafka, logLevel, type Admin, type LogEntry, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import { ConnectionSetupError, tlsFailure } from '../connection-error.js';
import { createWarmUpFilter, type KafkaLogLevel } from './warm-up-filter.js';

function levelOf(level: logLevel): KafkaLogLevel {
  if (level === logLevel.ERROR) return 'error';
  if (level === logLevel.WARN) return 'warn';
  if (level === logLevel.INFO) return 'info';
  return 'debug';
}

/** Where the brokers are and how to reach them: every Kafka client of the service is made from one. */
export interface KafkaTarget {
  brokers: string[];
  clientId: string;
  /** TLS to the brokers (KAFKA_TLS*); plaintext when absent or not enabled. */
  tls?: Config['kafka']['tls'];
  /** SASL authentication (KAFKA_SASL_*); none when absent or without a mechanism. */
  sasl?: Config['kafka']['sasl'];
}

/** The target of a configuration: its brokers (or the local ones) with its TLS and SASL settings. */
export function kafkaTarget(config: Config, brokers: string[]): KafkaTarget {
  return { brokers, clientId: config.kafka.clientId, tls: config.kafka.tls, sasl: config.kafka.sasl };
}

const TLS_CONNECTION_TIMEOUT_MS = 5_000;

function tlsOptions(tls: KafkaTarget['tls']): ConnectionOptions | undefined {
  if (!tls?.enabled) return undefined;
  return {
    // Without a CA file Node trusts its bundled CAs, as a managed broker's public certificate needs.
    ...(tls.caFile ? { ca: [tls.caFile.pem] } : {}),
    ...(tls.certFile && tls.keyFile ? { cert: tls.certFile.pem, key: tls.keyFile.pem.reveal() } : {}),
  };
}

function saslOptions(sasl: KafkaTarget['sasl']): SASLOptions | undefined {
  if (!sasl?.mechanism || !sasl.username || !sasl.password) return undefined;
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password.reveal() } as SASLOptions;
}

/**
 * A kafkajs client for the target: TLS and SASL as configured, logging through pino, so one log
 * stream tells the whole story. A broker's warm-up retries (which kafkajs logs as errors) are
 * announced in one calm line and kept at debug unless they persist (warm-up-filter.ts). kafkajs
 * logs only whether TLS and SASL are on, never their options. `retries`: attempts after the first, with backoff from 100 ms (the
 * start probe of {@link connectAdmin} uses none).
 */
export function createKafka(options: KafkaTarget & { logger: Logger }, retries = 8): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const ssl = tlsOptions(options.tls);
  const sasl = saslOptions(options.sasl);
  const decide = createWarmUpFilter();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    // A TLS handshake and SASL exchange take more round trips than kafkajs's 1 s default allows a
    // remote managed broker (or a loaded one).
    ...(ssl ? { ssl, connectionTimeout: TLS_CONNECTION_TIMEOUT_MS } : {}),
    ...(sasl ? { sasl } : {}),
    retry: { initialRetryTime: 100, retries },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      const fields = { namespace: entry.namespace, ...extra };
      const decision = decide({ level: levelOf(entry.level), namespace: entry.namespace, message, fields });
      if (decision.announce) log[decision.announce.level](decision.announce.message);
      log[decision.level](fields, message);
    },
  });
}

const MECHANISM_NAMES = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const;

/** The innermost kafkajs error (retries wrap the one that counts). */
function rootCause(err: unknown): { name?: string; message: string; code?: string } {
  let e = err as { name?: string; message: string; code?: string; cause?: unknown };
  for (let depth = 0; e.cause && depth < 5; depth++) e = e.cause as typeof e;
  return e;
}

/**
 * Why connecting to Kafka failed, as a ConnectionSetupError naming the brokers, the user and
 * the settings to check; undefined when the error says nothing about settings (a broker still
 * starting, a network blip), which a retry may cure.
 */
export function explainKafkaError(err: unknown, target: KafkaTarget): ConnectionSetupError | undefined {
  const where = target.brokers.join(',');
  const cause = rootCause(err);
  const mechanism = target.sasl?.mechanism;
  if (cause.name === 'KafkaJSSASLAuthenticationError' && mechanism) {
    const name = MECHANISM_NAMES[mechanism];
    if (/not supported by the server/.test(cause.message)) {
      return new ConnectionSetupError('kafka', `Kafka at ${where} does not offer SASL ${name}: check KAFKA_SASL_MECHANISM (${cause.message})`);
    }
    return new ConnectionSetupError(
      'kafka',
      `Kafka refused the credentials for user "${target.sasl?.username ?? ''}" (SASL ${name}) at ${where}: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (${cause.message})`,
    );
  }
  const tls = target.tls?.enabled ? tlsFailure(err) : undefined;
  if (tls?.kind === 'certificate') {
    const fix = tls.hostname
      ? "the broker's certificate does not name the host in KAFKA_BROKERS: connect by a name the certificate lists"
      : "set KAFKA_TLS_CA_FILE to the CA that signed the brokers' certificates";
    return new ConnectionSetupError('kafka', `TLS to Kafka at ${where} failed: ${tls.reason}: ${fix}`);
  }
  if (tls?.kind === 'client-certificate') {
    return new ConnectionSetupError(
      'kafka',
      `TLS to Kafka at ${where} failed: ${tls.reason}: it wants a client certificate signed by a CA it trusts: check KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE`,
    );
  }
  if (tls?.kind === 'not-tls') {
    return new ConnectionSetupError('kafka', `Kafka at ${where} does not speak TLS on that port (${tls.reason}): use its SSL or SASL_SSL listener, or unset KAFKA_TLS`);
  }
  if (tls?.kind === 'handshake') return new ConnectionSetupError('kafka', `TLS to Kafka at ${where} failed: ${tls.reason}`);
  return undefined;
}

/**
 * Connects `admin` (of a client made for `target`), failing fast and clearly on a
 * setting's fault: with TLS or SASL on, one attempt without retries comes first, and refused
 * credentials or certificates end there as a ConnectionSetupError; anything else gets kafkajs's
 * usual retries (a broker still starting). An error left after those is a ConnectionSetupError
 * too, saying which brokers did not answer.
 */
export async function connectAdmin(admin: Admin, target: KafkaTarget, logger: Logger): Promise<void> {
  const secured = target.tls?.enabled === true || target.sasl?.mechanism !== undefined;
  if (secured) {
    // A client of its own: kafkajs connects with the client's retries, whatever an admin asks for.
    const probe = createKafka({ ...target, logger }, 0).admin();
    try {
      await probe.connect();
    } catch (err) {
      const explained = explainKafkaError(err, target);
      if (explained) throw explained;
    } finally {
      await probe.disconnect().catch(() => undefined);
    }
  }
  try {
    await admin.connect();
  } catch (err) {
    const hint = target.tls?.enabled ? '' : ' (if its listener is SSL or SASL_SSL, set KAFKA_TLS=true)';
    throw explainKafkaError(err, target) ??
      new ConnectionSetupError('kafka', `could not connect to Kafka at ${target.brokers.join(',')}: ${rootCause(err).message}${hint}`);
  }
}
