import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../observability/logger.js';
import { findOnPath } from './free-port.js';

const execFileAsync = promisify(execFile);
const MARKER = '.complete';

/** The `<kafka.version>` pinned in `<rootDir>/kafka/pom.xml` plus a short hash of the whole pom. */
export async function readKafkaPom(rootDir: string): Promise<{ pomPath: string; version: string; hash: string }> {
  const pomPath = join(rootDir, 'kafka', 'pom.xml');
  const pom = await readFile(pomPath, 'utf8');
  const version = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom)?.[1];
  if (version === undefined) {
    throw new Error(`${pomPath} has no <kafka.version> property`);
  }
  const hash = createHash('sha256').update(pom).digest('hex').slice(0, 8);
  return { pomPath, version, hash };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Returns a directory holding every jar needed to run `kafka.Kafka`, `kafka.tools.StorageTool`
 * and the kafka-tools (e.g. ProducerPerformance): `<rootDir>/.local/kafka/libs-<version>-<pomhash>`.
 * The pom hash is in the name so any pom edit (not only the version) resolves a fresh set.
 * Runs Maven only when the directory is missing; concurrent callers are safe: each resolves
 * into a private temp dir and renames it into place, a loser of the rename uses the winner's.
 */
export async function ensureKafkaJars(opts: { rootDir: string; logger: Logger }): Promise<string> {
  const { pomPath, version, hash } = await readKafkaPom(opts.rootDir);
  const baseDir = join(opts.rootDir, '.local', 'kafka');
  const libDir = join(baseDir, `libs-${version}-${hash}`);
  if (await exists(join(libDir, MARKER))) return libDir;

  const mvn = await findOnPath('mvn');
  if (mvn === undefined) {
    throw new Error('mvn not found on PATH: apt-get install maven (needed to resolve Kafka jars)');
  }
  await mkdir(baseDir, { recursive: true });
  const tmpDir = join(baseDir, `.tmp-libs-${version}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const started = Date.now();
  opts.logger.info({ version, libDir }, 'resolving Kafka jars with Maven (first run downloads ~55 MB)');
  try {
    const args = ['-B', '-q', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`];
    try {
      await execFileAsync(mvn, args, { maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`Maven failed to resolve Kafka ${version} jars: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    // Written before the rename, so a libDir that exists is always complete.
    await writeFile(join(tmpDir, MARKER), `${version} ${hash}\n`);
    try {
      await rename(tmpDir, libDir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      if (!(await exists(join(libDir, MARKER)))) {
        // A stray, unmarked dir (not produced by this code): replace it.
        await rm(libDir, { recursive: true, force: true });
        await rename(tmpDir, libDir);
      }
      // Otherwise another process won the race; its jars are identical.
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  opts.logger.info({ version, libDir, ms: Date.now() - started }, 'Kafka jars ready');
  return libDir;
}
