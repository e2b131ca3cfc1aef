/**
 * Certificates for local TLS servers (the harness's SASL_SSL Kafka broker and TLS redis-servers):
 * a throw-away CA and one server certificate (ECDSA P-256) for 127.0.0.1 and localhost, made with the JDK's
 * keytool (which the local broker needs anyway) and, for redis-server's PEM key, openssl.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from './free-port.js';

const execFileAsync = promisify(execFile);
const VALIDITY_DAYS = '30';

/** Files of a local CA and the server certificate it signed (SAN IP:127.0.0.1, DNS:localhost). */
export interface LocalTls {
  /** PEM certificate of the CA: what clients trust (KAFKA_TLS_CA_FILE, REDIS_TLS_CA_FILE). */
  caFile: string;
  /** PKCS12 keystore: the server's key and chain, and the CA as a trusted entry (Kafka's key and trust store). */
  keystoreFile: string;
  /** Password of the keystore and of the key in it (letters and digits). */
  keystorePassword: string;
  /** PEM certificate of the server (redis-server's tls-cert-file). */
  certFile: string;
  /** Unencrypted PEM private key of the server (redis-server's tls-key-file). */
  keyFile: string;
  /** PEM certificate of a client (CN=timeline-client, signed by the CA), for servers that require one. */
  clientCertFile: string;
  /** Unencrypted PEM private key of that client. */
  clientKeyFile: string;
}

async function keytoolPath(): Promise<string> {
  const onPath = await findOnPath('keytool');
  if (onPath) return onPath;
  // A JRE puts keytool beside java, which is often on PATH only as a symlink.
  const java = await findOnPath('java');
  if (java) return join(dirname(await realpath(java)), 'keytool');
  throw new Error('keytool not found: install a JDK 17+ (apt-get install openjdk-17-jre-headless)');
}

/** keytool's JVM starts faster without the optimising compiler, which a few signatures never need. */
const FAST_JVM = ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC'];

async function run(file: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(file, file.endsWith('keytool') ? [...FAST_JVM, ...args] : args);
  } catch (err) {
    // Not e.message: it repeats the command line, passwords included.
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    throw new Error(`${file} ${args[0] ?? ''} failed (${String(e.code)}): ${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/**
 * Creates, in `dir`, a CA and a server and a client certificate signed by it, valid for 30 days, with fresh
 * random keys and passwords. Needs keytool (JDK) and openssl on PATH; rejects naming whichever is
 * missing. Takes a few seconds (each keytool call starts a JVM).
 */
export async function createLocalTls(dir: string): Promise<LocalTls> {
  const keytool = await keytoolPath();
  const openssl = await findOnPath('openssl');
  if (openssl === undefined) throw new Error('openssl not found: apt-get install openssl (it writes the PEM key redis-server needs)');
  await mkdir(dir, { recursive: true });
  const password = randomBytes(12).toString('hex');
  const caStore = join(dir, 'ca.p12');
  const caFile = join(dir, 'ca.pem');
  const keystoreFile = join(dir, 'server.p12');
  const csrFile = join(dir, 'server.csr');
  const certFile = join(dir, 'server.pem');
  const keyFile = join(dir, 'server.key');
  const clientStore = join(dir, 'client.p12');
  const clientCsrFile = join(dir, 'client.csr');
  const clientCertFile = join(dir, 'client.pem');
  const clientKeyFile = join(dir, 'client.key');
  const store = (file: string) => ['-keystore', file, '-storetype', 'PKCS12', '-storepass', password];
  const keypair = (alias: string, cn: string, file: string, ext: string[]) =>
    run(keytool, ['-genkeypair', '-alias', alias, '-dname', `CN=${cn}`, '-keyalg', 'EC', '-groupname', 'secp256r1',
      '-validity', VALIDITY_DAYS, ...ext, ...store(file), '-keypass', password]);

  const sign = (csr: string, out: string, ext: string[]) =>
    run(keytool, ['-gencert', '-alias', 'ca', '-infile', csr, '-outfile', out, '-rfc', '-validity', VALIDITY_DAYS,
      '-ext', 'KU=digitalSignature', ...ext, ...store(caStore)]);
  await Promise.all([
    keypair('ca', 'timeline local test CA', caStore, ['-ext', 'bc:c']),
    keypair('server', 'localhost', keystoreFile, []),
    keypair('client', 'timeline-client', clientStore, []),
  ]);
  await Promise.all([
    run(keytool, ['-exportcert', '-alias', 'ca', '-rfc', '-file', caFile, ...store(caStore)]),
    run(keytool, ['-certreq', '-alias', 'server', '-file', csrFile, ...store(keystoreFile)]),
    run(keytool, ['-certreq', '-alias', 'client', '-file', clientCsrFile, ...store(clientStore)]),
  ]);
  // The server certificate may act as a client too: the broker's own inter-broker connections.
  await sign(csrFile, certFile, ['-ext', 'SAN=ip:127.0.0.1,dns:localhost', '-ext', 'EKU=serverAuth,clientAuth']);
  await sign(clientCsrFile, clientCertFile, ['-ext', 'EKU=clientAuth']);
  // The chain reply is accepted only once the CA is trusted in the same store.
  await run(keytool, ['-importcert', '-alias', 'ca', '-file', caFile, '-noprompt', ...store(keystoreFile)]);
  await run(keytool, ['-importcert', '-alias', 'server', '-file', certFile, '-noprompt', ...store(keystoreFile), '-keypass', password]);
  await Promise.all([
    run(openssl, ['pkcs12', '-in', keystoreFile, '-nocerts', '-nodes', '-passin', `pass:${password}`, '-out', keyFile]),
    run(openssl, ['pkcs12', '-in', clientStore, '-nocerts', '-nodes', '-passin', `pass:${password}`, '-out', clientKeyFile]),
  ]);
  return { caFile, keystoreFile, keystorePassword: password, certFile, keyFile, clientCertFile, clientKeyFile };
}

/** An account on a local server (SASL user of the broker, ACL user of a redis-server). */
export interface LocalUser {
  name: string;
  password: string;
}

/**
 * Refuses names and passwords the local servers' config formats would need escaping for (JAAS
 * strings, Java properties, `--add-scram` lists, redis ACL rules): letters, digits and `._~+-`.
 */
export function checkLocalUser(user: LocalUser): LocalUser {
  if (!/^[A-Za-z0-9._-]+$/.test(user.name)) throw new Error(`local user name "${user.name}": use letters, digits, ".", "_" or "-"`);
  if (!/^[A-Za-z0-9._~+-]+$/.test(user.password)) throw new Error(`password of local user "${user.name}": use letters, digits and ._~+-`);
  return user;
}
