/**
 * Kafka or Redis refused this service at start, or could not be reached: wrong credentials, a
 * certificate nobody trusts, TLS on one side only, a mechanism the server does not offer. The
 * message names the server, the user and the settings to check, never a password. Not retriable:
 * starting again with the same settings fails the same way, so the process exits (main.ts) instead
 * of retrying forever.
 */
export class ConnectionSetupError extends Error {
  override name = 'ConnectionSetupError';
  readonly retriable = false;
  constructor(
    readonly service: 'kafka' | 'redis',
    message: string,
  ) {
    super(message);
  }
}

/** Node's codes for a server certificate that this client does not accept. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** How a TLS connection failed, when it did, in words that say what to change. */
export type TlsFailure =
  | { kind: 'certificate'; reason: string; hostname: boolean }
  | { kind: 'client-certificate'; reason: string }
  | { kind: 'not-tls'; reason: string }
  | { kind: 'handshake'; reason: string };

/** Classifies a socket or TLS error (walking `cause`), or undefined when it is not about TLS. */
export function tlsFailure(err: unknown): TlsFailure | undefined {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const reason = typeof e.message === 'string' ? e.message : String(e);
    if (CERTIFICATE_CODES.has(code)) return { kind: 'certificate', reason, hostname: code === 'ERR_TLS_CERT_ALTNAME_INVALID' };
    // The server's alert about our certificate (none given, or one it does not trust), without OpenSSL's source location.
    const alert = /(?:sslv3|tlsv1[0-9]*) alert (bad certificate|certificate required|unknown ca|certificate unknown|certificate expired|certificate revoked)/i.exec(reason);
    if (alert) return { kind: 'client-certificate', reason: `the server answered with the TLS alert "${alert[1]}"` };
    // A TLS client meeting a plaintext server reads its first bytes as a broken TLS record.
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(reason)) return { kind: 'not-tls', reason };
    if (code.startsWith('ERR_SSL_') || code === 'EPROTO') return { kind: 'handshake', reason };
  }
  return undefined;
}
