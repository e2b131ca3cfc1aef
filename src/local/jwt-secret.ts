import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/index.js';
import { weakSecretReason } from '../config/secret-strength.js';
import type { Logger } from '../observability/logger.js';

/** The file, under LOCAL_DATA_DIR, that keeps the secret generated outside production. */
export const LOCAL_JWT_SECRET_FILE = 'jwt-secret';

/**
 * The token-signing secret of a machine without JWT_SECRET (outside production only): read from
 * `<dataDir>/jwt-secret`, or made on first start from 32 random bytes and written there with
 * mode 0600, so tokens survive restarts and no secret in the repository ever signs one. Several
 * processes starting at once agree on one secret: it is written to a temporary file and linked into
 * place, which fails for all but the first. A file that others may read is narrowed to 0600; one
 * whose contents are weak (edited by hand) is refused with what to do.
 */
export async function localJwtSecret(dataDir: string, logger: Logger): Promise<{ secret: string; file: string }> {
  const file = path.join(dataDir, LOCAL_JWT_SECRET_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let created = false;
  if (!(await exists(file))) {
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
    await writeFile(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      await link(temporary, file);
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await unlink(temporary);
    }
  }
  const stat = await lstat(file);
  if (!stat.isFile()) throw new ConfigError(`${file}: expected a regular file holding the token secret (delete it to make a new one)`);
  if ((stat.mode & 0o077) !== 0) {
    await chmod(file, 0o600);
    logger.warn({ file, mode: (stat.mode & 0o777).toString(8) }, 'token secret file was readable by others: narrowed to 0600');
  }
  const secret = (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  const weakness = weakSecretReason(secret);
  if (weakness) throw new ConfigError(`${file}: the token secret ${weakness}; delete the file to have a new one made, or set JWT_SECRET`);
  logger.info(
    { file },
    created ? 'JWT_SECRET not set: made a random token secret for this machine' : 'JWT_SECRET not set: signing tokens with the secret made earlier on this machine',
  );
  return { secret, file };
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
