import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthenticated } from './errors.js';

/** HS256 only: the verifier pins the algorithm, so `alg: none` or an RS/HS confusion is refused. */
const ALG = 'HS256';

export interface TokenService {
  issue(userId: string): Promise<string>;
  /** Returns the user id. Throws UNAUTHENTICATED for a forged, expired or malformed token. */
  verify(token: string): Promise<string>;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    issue: (userId) =>
      new SignJWT({}).setProtectedHeader({ alg: ALG }).setSubject(userId).setIssuedAt().setExpirationTime(`${ttlSeconds}s`).sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [ALG] });
        if (typeof payload.sub !== 'string' || !/^[1-9][0-9]{0,18}$/.test(payload.sub)) throw unauthenticated('token has no valid subject');
        return payload.sub;
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw unauthenticated('token expired: log in again');
        if (err instanceof joseErrors.JOSEError) throw unauthenticated('invalid token');
        throw err;
      }
    },
  };
}
