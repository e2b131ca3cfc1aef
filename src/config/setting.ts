import { readFileSync } from 'node:fs';
import { Secret } from './secret.js';

/**
 * The vocabulary settings are declared in (settings.ts): each is one environment variable with
 * its parser, default, unit and doc, from which both the typed `Config` and the README's
 * configuration table are derived. Nothing here reads the environment.
 */

/** Reads another setting's value by its variable name (for defaults that depend on one). */
export type Lookup = (env: string) => unknown;

/** A default computed from other settings, with the words the README shows for it. */
export interface DerivedDefault<V> {
  derive: (get: Lookup) => V;
  doc: string;
}

export interface Setting<V> {
  readonly kind: 'setting';
  /** The environment variable. */
  readonly env: string;
  /** What it does, one sentence (a README cell). */
  readonly doc: string;
  /** Unit of the value (`s`, `ms`, `bytes`, …), shown beside the default. */
  readonly unit: string | undefined;
  /** The README's default cell. */
  readonly defaultDoc: string;
  /** Parses a non-empty raw value; throws SettingError with what is allowed. */
  parse(raw: string): V;
  /** The value when the variable is unset or empty. */
  fallback(get: Lookup): V;
}

/** A value a parser refused; the message says what is allowed. */
export class SettingError extends Error {
  override name = 'SettingError';
}

export type Parser<V> = (raw: string) => V;

interface Meta {
  doc: string;
  unit?: string;
  /** Overrides how the default is shown (e.g. a duration in words). */
  defaultDoc?: string;
}

/** Declares one setting. Without `default` the value is `undefined` when unset. */
export function setting<V>(env: string, parse: Parser<V>, meta: Meta & { default: NoInfer<V> | DerivedDefault<NoInfer<V>> }): Setting<V>;
export function setting<V>(env: string, parse: Parser<V>, meta: Meta & { default?: undefined }): Setting<V | undefined>;
export function setting<V>(env: string, parse: Parser<V>, meta: Meta & { default?: V | DerivedDefault<V> }): Setting<V | undefined> {
  const given = meta.default;
  const derived = isDerived(given) ? given : undefined;
  return {
    kind: 'setting',
    env,
    doc: meta.doc,
    unit: meta.unit,
    defaultDoc: meta.defaultDoc ?? (derived ? derived.doc : given === undefined ? 'unset' : `\`${formatValue(given)}\``),
    parse,
    fallback: (get) => (derived ? derived.derive(get) : (given as V | undefined)),
  };
}

function isDerived<V>(value: V | DerivedDefault<V> | undefined): value is DerivedDefault<V> {
  return typeof value === 'object' && value !== null && 'derive' in value && typeof (value as DerivedDefault<V>).derive === 'function';
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

// Parsers. Each refuses with a message naming what is allowed.

export const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < min || n > max) throw new SettingError(`expected a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };

export const decimal =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new SettingError(`expected a number from ${min} to ${max}, got "${raw}"`);
    return n;
  };

export const boolean: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new SettingError(`expected true, false, 1 or 0, got "${raw}"`);
};

export const oneOf =
  <const T extends string>(values: readonly T[]): Parser<T> =>
  (raw) => {
    if (!(values as readonly string[]).includes(raw)) throw new SettingError(`expected one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };

export const text =
  (options: { minLength?: number; pattern?: RegExp; expected?: string } = {}): Parser<string> =>
  (raw) => {
    if (raw.length < (options.minLength ?? 1)) throw new SettingError(`expected at least ${options.minLength ?? 1} characters`);
    if (options.pattern && !options.pattern.test(raw)) throw new SettingError(`expected ${options.expected ?? `to match ${options.pattern}`}, got "${raw}"`);
    return raw;
  };

export const url: Parser<string> = (raw) => {
  try {
    new URL(raw);
  } catch {
    throw new SettingError(`expected a URL, got "${raw}"`);
  }
  return raw;
};

/** Comma-separated items, blanks dropped; at least one. */
export const list =
  <V>(item: Parser<V>): Parser<V[]> =>
  (raw) => {
    const entries = raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (entries.length === 0) throw new SettingError('expected a comma-separated list, got nothing');
    const bad: string[] = [];
    const values = entries.flatMap((e) => {
      try {
        return [item(e)];
      } catch {
        bad.push(e);
        return [];
      }
    });
    if (bad.length > 0) throw new SettingError(`not ${describe(item)}: ${bad.join(', ')}`);
    return values;
  };

export interface HostPort {
  host: string;
  port: number;
}

export const hostPort: Parser<HostPort> = Object.assign(
  (raw: string): HostPort => {
    const at = raw.lastIndexOf(':');
    const host = raw.slice(0, at);
    const port = Number(raw.slice(at + 1));
    if (at <= 0 || /\s/.test(host) || !/^\d{1,5}$/.test(raw.slice(at + 1)) || port > 65535) throw new SettingError(`expected host:port, got "${raw}"`);
    return { host, port };
  },
  { expected: 'host:port' },
);

function describe(parser: Parser<unknown>): string {
  return (parser as { expected?: string }).expected ?? 'valid';
}

/** A credential given inline; never echoed in an error. Surrounding whitespace is kept (it may be part of it). */
export const secret: Parser<Secret> = (raw) => new Secret(raw);

function readSetFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SettingError(`cannot read "${path}" (${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)})`);
  }
}

/**
 * A file holding one credential (a mounted secret): its contents without one trailing newline,
 * read when the configuration loads. Refuses a missing, unreadable or empty file; the contents
 * are never echoed.
 */
export const secretFile: Parser<Secret> = Object.assign(
  (path: string): Secret => {
    const value = readSetFile(path).replace(/\r?\n$/, '');
    if (value === '') throw new SettingError(`"${path}" is empty`);
    return new Secret(value);
  },
  { expected: 'a readable file' },
);

/** A PEM file as read at start: its path (for messages) and its text. */
export interface PemFile {
  path: string;
  pem: string;
}

/** A PEM file holding a private key: its text is a Secret. */
export interface PemKeyFile {
  path: string;
  pem: Secret;
}

const PEM_LABELS = {
  certificate: /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
  'private key': /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/,
} as const;

/** A file of PEM certificates (one or more: a CA bundle or a chain), read when the configuration loads. */
export const pemCertificateFile: Parser<PemFile> = (path) => {
  const pem = readSetFile(path);
  if (!PEM_LABELS.certificate.test(pem)) throw new SettingError(`"${path}" is not a PEM certificate file (no -----BEGIN CERTIFICATE----- block)`);
  return { path, pem };
};

/** A file holding a PEM private key (unencrypted), read when the configuration loads; never echoed. */
export const pemKeyFile: Parser<PemKeyFile> = (path) => {
  const pem = readSetFile(path);
  if (!PEM_LABELS['private key'].test(pem)) throw new SettingError(`"${path}" is not a PEM private key file (no -----BEGIN PRIVATE KEY----- block)`);
  if (/ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)) throw new SettingError(`"${path}" holds an encrypted key: give the key unencrypted (protect the file instead)`);
  return { path, pem: new Secret(pem) };
};

/** A URL as it may be shown: any password in it replaced by `***`. */
export function withoutPassword(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[^/@]*@/i, '$1***@');
}

/**
 * `redis://[user[:password]@]host[:port][/db]`, or `rediss://` for TLS. Refuses query strings (the
 * REDIS_* settings say the rest); errors show the URL with its password masked.
 */
export const redisUrl: Parser<string> = Object.assign(
  (raw: string): string => {
    const shown = withoutPassword(raw);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new SettingError(`expected a redis:// or rediss:// URL, got "${shown}"`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new SettingError(`expected a redis:// or rediss:// URL, got "${shown}"`);
    if (url.hostname === '') throw new SettingError(`expected a host in "${shown}"`);
    if (!/^(\/(\d{1,5})?)?$/.test(url.pathname)) throw new SettingError(`expected /<database number> after the host, got "${url.pathname}"`);
    if (url.search !== '' || url.hash !== '') throw new SettingError(`"${shown}": no query or fragment (set REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS* instead)`);
    return raw;
  },
  { expected: 'a redis:// or rediss:// URL' },
);
