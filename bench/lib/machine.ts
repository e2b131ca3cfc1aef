import { execFile } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem, type } from 'node:os';
import { promisify } from 'node:util';
import { readKafkaPom } from '../../src/local/kafka-jars.js';

const run = promisify(execFile);

async function output(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args);
    return (stdout || stderr).trim().split('\n')[0] ?? '';
  } catch {
    return 'unknown';
  }
}

export interface MachineInfo {
  os: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  /** 1, 5 and 15 minute load averages when the benchmark started: other work on the machine shows here. */
  loadAverage: number[];
  node: string;
  redis: string;
  java: string;
  kafka: string;
  gitCommit: string;
}

/** What the numbers were measured on: results are only comparable on like machines. */
export async function machineInfo(rootDir: string): Promise<MachineInfo> {
  const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 10) / 10;
  return {
    os: `${type()} ${await output('uname', ['-r'])}`,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    redis: await output('redis-server', ['--version']),
    java: await output('java', ['-version']),
    kafka: (await readKafkaPom(rootDir)).version,
    gitCommit: await output('git', ['-C', rootDir, 'rev-parse', '--short', 'HEAD']),
  };
}
