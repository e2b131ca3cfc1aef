import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one place loggers are made. JSON lines to stdout; every consumer log line
 * carries topic, partition, offset and key as bindings of a child logger.
 */
export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    level: options.level,
    name: options.name ?? 'timeline',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
