import { describe, expect, it } from 'vitest';
import { Secret } from '../../config/secret.js';
import { explainRedisError, redisClusterOptions, redisServerOptions, type RedisSecurity } from './client.js';

const NONE: RedisSecurity = { username: undefined, password: undefined, tls: { enabled: false, caFile: undefined, certFile: undefined, keyFile: undefined } };
const CA = { path: '/etc/ca.pem', pem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' };

describe('Redis connection options', () => {
  it('take host, port, database, user and password from the URL, TLS from rediss://', () => {
    expect(redisServerOptions('redis://h:6390/3', NONE)).toEqual({ host: 'h', port: 6390, db: 3 });
    expect(redisServerOptions('rediss://app:p%40ss@h', NONE)).toEqual({ host: 'h', port: 6379, db: 0, username: 'app', password: 'p@ss', tls: {} });
    expect(redisServerOptions('redis://:only-pass@[::1]:7000', NONE)).toEqual({ host: '::1', port: 7000, db: 0, password: 'only-pass' });
  });

  it('take credentials and the CA from the settings, which apply on top of a credential-free URL', () => {
    const security: RedisSecurity = { username: 'app', password: new Secret('pw'), tls: { ...NONE.tls, enabled: true, caFile: CA } };
    expect(redisServerOptions('redis://h:1', security)).toEqual({ host: 'h', port: 1, db: 0, username: 'app', password: 'pw', tls: { ca: [CA.pem] } });
    // A user named in the URL, the password from the settings.
    expect(redisServerOptions('redis://app@h:1', { ...NONE, password: new Secret('pw') })).toMatchObject({ username: 'app', password: 'pw' });
  });

  it('give every cluster node the credentials and TLS, and keep node names for certificate checks', () => {
    const plain = redisClusterOptions(NONE);
    expect(plain.redisOptions).toEqual({ maxRetriesPerRequest: 20 });
    expect(plain.dnsLookup).toBeUndefined();
    const secured = redisClusterOptions({ username: 'app', password: new Secret('pw'), tls: { ...NONE.tls, enabled: true, caFile: CA } });
    expect(secured.redisOptions).toEqual({ maxRetriesPerRequest: 20, username: 'app', password: 'pw', tls: { ca: [CA.pem] } });
    let resolved: string | undefined;
    secured.dnsLookup?.('redis-0.example.com', (_, address) => (resolved = address));
    expect(resolved).toBe('redis-0.example.com');
  });
});

describe('explaining a refused Redis connection', () => {
  const single = { url: 'rediss://app:secret-pw@cache.example.com:6380' };
  it('names the server and the user, never the password', () => {
    const err = explainRedisError(new Error('WRONGPASS invalid username-password pair or user is disabled.'), single, NONE);
    expect(err?.message).toMatch(/^Redis at cache\.example\.com:6380 refused the credentials for user "app": check REDIS_USERNAME and REDIS_PASSWORD/);
    expect(err?.message).not.toContain('secret-pw');
    expect(explainRedisError(new Error('NOAUTH Authentication required.'), { url: 'redis://h:1' }, NONE)?.message).toMatch(/requires a password: set REDIS_PASSWORD/);
  });

  it('says which TLS setting to look at, and looks into a cluster error’s last node error', () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(explainRedisError(untrusted, single, NONE)?.message).toMatch(/TLS to Redis at cache\.example\.com:6380 failed: .*set REDIS_TLS_CA_FILE/);
    const wrongName = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(explainRedisError(wrongName, single, NONE)?.message).toMatch(/does not name the host/);
    const plaintext = Object.assign(new Error('1C0:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(explainRedisError(plaintext, single, NONE)?.message).toMatch(/does not speak TLS on that port/);
    const noCertificate = new Error('80FC:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/ssl/rec_layer_s3.c:1601:SSL alert number 116');
    expect(explainRedisError(noCertificate, single, NONE)?.message).toBe(
      'TLS to Redis at cache.example.com:6380 failed: the server answered with the TLS alert "certificate required": it wants a client certificate signed by a CA it trusts: check REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE',
    );
    const cluster = { clusterNodes: [{ host: 'n1', port: 7000 }] };
    const allFailed = Object.assign(new Error('Failed to refresh slots cache.'), { lastNodeError: new Error('WRONGPASS invalid username-password pair') });
    expect(explainRedisError(allFailed, cluster, NONE)?.message).toMatch(/^Redis at the cluster nodes n1:7000 refused the credentials for user "default"/);
  });

  it('leaves errors a retry may cure unexplained', () => {
    expect(explainRedisError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), single, NONE)).toBeUndefined();
  });
});
