import { destination, pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one place loggers are made. JSON lines to stdout; every consumer log line
 * carries topic, partition, offset and key as bindings of a child logger.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  /** A file to append to instead of stdout (benchmarks keep the terminal for their own output). */
  file?: string;
}): Logger {
  const settings = {
    level: options.level,
    name: options.name ?? 'timeline',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.file ? pino(settings, destination({ dest: options.file, mkdir: true, sync: false })) : pino(settings);
}
