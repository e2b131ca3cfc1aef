import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthenticated } from './errors.js';

/** HS256 only: the verifier pins the algorithm, so `alg: none` or an RS/HS confusion is refused. */
const ALG = 'HS256';

export interface VerifiedToken {
  /** The subject: a user id (whether that user is stored is for the caller to check). */
  userId: string;
  /** Unix ms after which the token is refused (a websocket opened with it is closed then). */
  expiresAt: number;
}

export interface TokenService {
  issue(userId: string): Promise<string>;
  /** Throws UNAUTHENTICATED for a forged, expired or malformed token, or one without an expiry. */
  verify(token: string): Promise<VerifiedToken>;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    issue: (userId) =>
      new SignJWT({}).setProtectedHeader({ alg: ALG }).setSubject(userId).setIssuedAt().setExpirationTime(`${ttlSeconds}s`).sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [ALG], requiredClaims: ['exp'] });
        if (typeof payload.sub !== 'string' || !/^[1-9][0-9]{0,18}$/.test(payload.sub)) throw unauthenticated('token has no valid subject');
        return { userId: payload.sub, expiresAt: payload.exp! * 1000 };
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw unauthenticated('token expired: log in again');
        if (err instanceof joseErrors.JOSEError) throw unauthenticated('invalid token');
        throw err;
      }
    },
  };
}
