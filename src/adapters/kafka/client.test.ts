import { describe, expect, it } from 'vitest';
import { Secret } from '../../config/secret.js';
import { explainKafkaError, type KafkaTarget } from './client.js';

const TLS_ON = { enabled: true, caFile: undefined, certFile: undefined, keyFile: undefined };
const target = (mechanism: 'plain' | 'scram-sha-512' | undefined, tls = TLS_ON): KafkaTarget => ({
  brokers: ['b1:9093', 'b2:9093'],
  clientId: 'timeline',
  tls,
  sasl: { mechanism, username: 'timeline-app', password: new Secret('kafka-secret'), passwordFile: undefined },
});

/** kafkajs wraps the error that counts in retries: `cause` chains, as KafkaJSNumberOfRetriesExceeded does. */
const wrapped = (inner: Error) => Object.assign(new Error(inner.message), { name: 'KafkaJSNumberOfRetriesExceeded', cause: inner });
const named = (name: string, message: string, code?: string) => Object.assign(new Error(message), { name, code });

describe('explaining a refused Kafka connection', () => {
  it('names the user, the mechanism and the settings for refused credentials, never the password', () => {
    const refused = named('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials');
    const message = explainKafkaError(refused, target('scram-sha-512'))?.message ?? '';
    expect(message).toMatch(/^Kafka refused the credentials for user "timeline-app" \(SASL SCRAM-SHA-512\) at b1:9093,b2:9093: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(message).not.toContain('kafka-secret');
    const unsupported = named('KafkaJSSASLAuthenticationError', 'SASL PLAIN mechanism is not supported by the server');
    expect(explainKafkaError(unsupported, target('plain'))?.message).toMatch(/does not offer SASL PLAIN: check KAFKA_SASL_MECHANISM/);
  });

  it('says which TLS setting to look at, through kafkajs’s retry wrapper', () => {
    const untrusted = wrapped(named('KafkaJSConnectionError', 'Connection error: self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'));
    expect(explainKafkaError(untrusted, target(undefined))?.message).toMatch(/^TLS to Kafka at b1:9093,b2:9093 failed: .*set KAFKA_TLS_CA_FILE/);
    const refusedCertificate = wrapped(named('KafkaJSConnectionError', 'Connection error: 80FC:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../ssl/rec_layer_s3.c:1601:SSL alert number 42', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'));
    expect(explainKafkaError(refusedCertificate, target(undefined))?.message).toMatch(/the TLS alert "bad certificate": it wants a client certificate .*check KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE$/);
    const plaintext = wrapped(named('KafkaJSConnectionError', 'Connection error: ssl3_get_record:wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'));
    expect(explainKafkaError(plaintext, target(undefined))?.message).toMatch(/does not speak TLS on that port/);
  });

  it('leaves errors a retry may cure unexplained', () => {
    expect(explainKafkaError(wrapped(named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED', 'ECONNREFUSED')), target('scram-sha-512'))).toBeUndefined();
    // Without TLS a certificate cannot be the problem.
    const off = { ...TLS_ON, enabled: false };
    expect(explainKafkaError(named('KafkaJSConnectionError', 'x', 'SELF_SIGNED_CERT_IN_CHAIN'), target(undefined, off))).toBeUndefined();
  });
});
