import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../../observability/logger.js';
import { createWarmUpFilter, type KafkaLogLevel } from './warm-up-filter.js';

function levelOf(level: logLevel): KafkaLogLevel {
  if (level === logLevel.ERROR) return 'error';
  if (level === logLevel.WARN) return 'warn';
  if (level === logLevel.INFO) return 'info';
  return 'debug';
}

/**
 * kafkajs logs through pino, so one log stream tells the whole story. A broker's warm-up retries
 * (which kafkajs logs as errors) are announced in one calm line and kept at debug unless they
 * persist: see warm-up-filter.ts.
 */
export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const decide = createWarmUpFilter();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    retry: { initialRetryTime: 100, retries: 8 },
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
