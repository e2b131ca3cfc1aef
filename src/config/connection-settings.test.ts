import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Env } from './index.js';
import { Secret } from './secret.js';

// Stand-ins in PEM framing: the configuration checks the framing, TLS itself is tested against real servers.
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIE\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n';
const ENCRYPTED_KEY = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHsMFcGCSqGSIb3DQEF\n-----END ENCRYPTED PRIVATE KEY-----\n';

const dir = mkdtempSync(path.join(tmpdir(), 'connection-settings-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problems = (env: Env): string => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

const SCRAM: Env = {
  KAFKA_BROKERS: 'pkc-1.example.com:9092',
  KAFKA_TLS: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'timeline',
  KAFKA_SASL_PASSWORD: 'kafka-pass-1',
};

describe('Kafka TLS and SASL settings', () => {
  it('are off by default', () => {
    const { kafka } = loadConfig({});
    expect(kafka.tls).toEqual({ enabled: false, caFile: undefined, certFile: undefined, keyFile: undefined });
    expect(kafka.sasl).toEqual({ mechanism: undefined, username: undefined, password: undefined, passwordFile: undefined });
  });

  it('take a mechanism, a user, a password and a CA file, keeping the password a Secret nothing prints', () => {
    const ca = file('ca.pem', CERT);
    const config = loadConfig({ ...SCRAM, KAFKA_TLS_CA_FILE: ca });
    expect(config.kafka.tls.caFile).toEqual({ path: ca, pem: CERT });
    expect(config.kafka.sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'timeline' });
    expect(config.kafka.sasl.password?.reveal()).toBe('kafka-pass-1');
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.kafka.sasl.password), `${config.kafka.sasl.password}`]) {
      expect(shown).not.toContain('kafka-pass-1');
    }
  });

  it('read the password from a file (one trailing newline dropped), but never from both places', () => {
    const secretFile = file('kafka-password', 'from-a-file\n');
    const { KAFKA_SASL_PASSWORD: _, ...withoutPassword } = SCRAM;
    expect(loadConfig({ ...withoutPassword, KAFKA_SASL_PASSWORD_FILE: secretFile }).kafka.sasl.password?.reveal()).toBe('from-a-file');
    expect(problems({ ...SCRAM, KAFKA_SASL_PASSWORD_FILE: secretFile })).toMatch(/KAFKA_SASL_PASSWORD_FILE: set it or KAFKA_SASL_PASSWORD, not both/);
    expect(problems({ ...withoutPassword, KAFKA_SASL_PASSWORD_FILE: path.join(dir, 'missing') })).toMatch(/KAFKA_SASL_PASSWORD_FILE: cannot read .*no such file/);
    expect(problems({ ...withoutPassword, KAFKA_SASL_PASSWORD_FILE: file('empty', '\n') })).toMatch(/KAFKA_SASL_PASSWORD_FILE: .* is empty/);
  });

  it('refuse a mechanism without credentials, credentials without a mechanism, and PLAIN without TLS', () => {
    expect(problems({ ...SCRAM, KAFKA_SASL_USERNAME: '' })).toMatch(/KAFKA_SASL_MECHANISM: needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(problems({ ...SCRAM, KAFKA_SASL_MECHANISM: '' })).toMatch(/KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: set KAFKA_SASL_MECHANISM too/);
    expect(problems({ ...SCRAM, KAFKA_SASL_MECHANISM: 'scram-sha-1' })).toMatch(/KAFKA_SASL_MECHANISM: expected one of plain, scram-sha-256, scram-sha-512/);
    expect(problems({ ...SCRAM, KAFKA_SASL_MECHANISM: 'plain', KAFKA_TLS: 'false' })).toMatch(/plain sends the password as it is/);
    expect(loadConfig({ ...SCRAM, KAFKA_TLS: 'false' }).kafka.sasl.mechanism).toBe('scram-sha-512');
  });

  it('check certificate and key files when the configuration loads', () => {
    expect(problems({ ...SCRAM, KAFKA_TLS_CA_FILE: path.join(dir, 'nope.pem') })).toMatch(/KAFKA_TLS_CA_FILE: cannot read ".*nope.pem" \(no such file\)/);
    expect(problems({ ...SCRAM, KAFKA_TLS_CA_FILE: file('not-pem', 'hello') })).toMatch(/KAFKA_TLS_CA_FILE: ".*not-pem" is not a PEM certificate file/);
    expect(problems({ ...SCRAM, KAFKA_TLS_CA_FILE: file('key-as-ca', KEY) })).toMatch(/is not a PEM certificate file/);
    expect(problems({ ...SCRAM, KAFKA_TLS_CERT_FILE: file('c.pem', CERT), KAFKA_TLS_KEY_FILE: file('k.enc', ENCRYPTED_KEY) })).toMatch(
      /KAFKA_TLS_KEY_FILE: .* holds an encrypted key/,
    );
    expect(problems({ ...SCRAM, KAFKA_TLS_CERT_FILE: file('c2.pem', CERT) })).toMatch(/a client certificate needs its key/);
    const mutual = loadConfig({ ...SCRAM, KAFKA_TLS_CERT_FILE: file('c3.pem', CERT), KAFKA_TLS_KEY_FILE: file('k.pem', KEY) });
    expect(mutual.kafka.tls.keyFile?.pem).toBeInstanceOf(Secret);
    expect(JSON.stringify(mutual)).not.toContain('MIGHAgEAMBMGByqGSM49');
  });

  it('refuse TLS files without KAFKA_TLS, and any of it without KAFKA_BROKERS', () => {
    expect(problems({ KAFKA_BROKERS: 'b:9092', KAFKA_TLS_CA_FILE: file('ca2.pem', CERT) })).toMatch(/KAFKA_TLS_CA_FILE: take effect only with KAFKA_TLS=true/);
    const { KAFKA_BROKERS: _, ...local } = SCRAM;
    expect(problems(local)).toMatch(/apply to KAFKA_BROKERS, which is unset/);
  });
});

describe('Redis credentials and TLS settings', () => {
  it('turn TLS on for rediss:// and take the user and password from the URL or the settings', () => {
    expect(loadConfig({ REDIS_URL: 'redis://h:6379' }).redis.tls.enabled).toBe(false);
    expect(loadConfig({ REDIS_URL: 'rediss://app:pw@h:6380/2' }).redis.tls.enabled).toBe(true);
    expect(loadConfig({ REDIS_URL: 'redis://h:6379', REDIS_TLS: 'true' }).redis.tls.enabled).toBe(true);
    const settings = loadConfig({ REDIS_URL: 'rediss://h:6380', REDIS_USERNAME: 'app', REDIS_PASSWORD: 'redis-pass-1' });
    expect(settings.redis.username).toBe('app');
    expect(settings.redis.password?.reveal()).toBe('redis-pass-1');
    expect(JSON.stringify(settings.redis)).not.toContain('redis-pass-1');
    // A user in the URL with the password in a mounted file is a fine split.
    const split = loadConfig({ REDIS_URL: 'rediss://app@h:6380', REDIS_PASSWORD_FILE: file('redis-password', 'from-file\n') });
    expect(split.redis.password?.reveal()).toBe('from-file');
  });

  it('refuse contradictions and half-given credentials', () => {
    expect(problems({ REDIS_URL: 'rediss://h:6380', REDIS_TLS: 'false' })).toMatch(/REDIS_TLS: false contradicts the rediss:\/\//);
    expect(problems({ REDIS_URL: 'redis://app:pw@h:1', REDIS_USERNAME: 'other' })).toMatch(/REDIS_USERNAME: REDIS_URL names a user already/);
    expect(problems({ REDIS_URL: 'redis://:pw@h:1', REDIS_PASSWORD: 'other' })).toMatch(/REDIS_PASSWORD: REDIS_URL holds a password already/);
    expect(problems({ REDIS_URL: 'redis://h:1', REDIS_USERNAME: 'app' })).toMatch(/REDIS_USERNAME: an ACL user needs a password/);
    expect(problems({ REDIS_URL: 'redis://app@h:1' })).toMatch(/an ACL user needs a password/);
    expect(problems({ REDIS_URL: 'redis://h:1', REDIS_PASSWORD: 'a', REDIS_PASSWORD_FILE: file('p2', 'b') })).toMatch(/REDIS_PASSWORD_FILE: set it or REDIS_PASSWORD, not both/);
    expect(problems({ REDIS_URL: 'redis://h:1', REDIS_TLS_CA_FILE: file('ca3.pem', CERT) })).toMatch(/REDIS_TLS_CA_FILE: take effect only with REDIS_TLS=true/);
    expect(problems({ REDIS_PASSWORD: 'pw' })).toMatch(/apply to REDIS_URL or REDIS_CLUSTER_NODES, neither of which is set/);
  });

  it('apply to cluster nodes: REDIS_CLUSTER_NODES with a password and TLS', () => {
    const { redis } = loadConfig({ REDIS_CLUSTER_NODES: 'a:7000,b:7001', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true', REDIS_TLS_CA_FILE: file('ca4.pem', CERT) });
    expect(redis.tls).toMatchObject({ enabled: true, caFile: { pem: CERT } });
    expect(redis.password?.reveal()).toBe('pw');
  });

  it('never echo a password of a refused REDIS_URL', () => {
    for (const url of ['http://app:hunter2-secret@h:1', 'redis://app:hunter2-secret@h:1?tls=true', 'redis://app:hunter2-secret@h:1/x']) {
      const message = problems({ REDIS_URL: url });
      expect(message).toMatch(/REDIS_URL/);
      expect(message).not.toContain('hunter2-secret');
    }
    expect(problems({ REDIS_URL: 'redis://app:hunter2-secret@h:1?tls=true' })).toContain('redis://app:***@h:1');
  });
});
