import { destination, pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** `json`: one JSON object a line, for machines. `pretty`: short coloured lines, for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/** `auto` is pretty when stdout is a terminal and JSON otherwise (a pipe, a file, a container's log). */
export function resolveLogFormat(setting: LogFormat | 'auto', stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  if (setting !== 'auto') return setting;
  return stdout.isTTY ? 'pretty' : 'json';
}

/**
 * The one place loggers are made. JSON lines to stdout by default; `pretty` renders the same
 * records for a terminal (time, level, message, then the fields on the same line; errors with their
 * stack). Every consumer log line carries topic, partition, offset and key as bindings of a child
 * logger, in both formats.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  /** A file to append to instead of stdout (benchmarks keep the terminal for their own output). */
  file?: string;
  /** Default `json`. Ignored with `file`. */
  format?: LogFormat;
}): Logger {
  const settings = {
    level: options.level,
    name: options.name ?? 'timeline',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.file) return pino(settings, destination({ dest: options.file, mkdir: true, sync: false }));
  if (options.format === 'pretty') {
    // Synchronous, so a line is on the terminal before anything the process prints after it (the banner).
    const stream = pretty({
      sync: true,
      colorize: Boolean(process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,name',
      singleLine: true,
    });
    return pino(settings, stream);
  }
  return pino(settings);
}
