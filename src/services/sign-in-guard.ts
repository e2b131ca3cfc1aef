import { DomainError, rateLimited } from '../domain/errors.js';
import type { KnownAddresses, RateDecision, RateLimiter } from '../domain/rate-limits/ports.js';

/**
 * Budgets on signing in and up that slow guessing without handing a guesser the owner's account:
 *
 * - Every logIn spends one of the client address's attempts (AUTH_RATE_LIMIT a minute): one
 *   address guesses slowly, whatever handles it tries.
 * - Failed logIns also spend one of the handle's failures (AUTH_HANDLE_FAILURE_LIMIT a minute,
 *   from all addresses together): many addresses guessing one handle are slowed too. While that is
 *   spent the handle is refused, except from addresses it signed in from successfully in the last
 *   AUTH_KNOWN_ADDRESS_DAYS: the owner at home still gets in while a botnet guesses.
 * - Every signUp spends one of the address's sign-ups (SIGNUP_RATE_LIMIT an hour): accounts, and the
 *   write budgets that come with each, are not free.
 *
 * A refusal is RATE_LIMITED with `retryAfterSeconds` and happens before any password work.
 */
export interface SignInGuard {
  beforeLogIn(handle: string, address: string): Promise<void>;
  /** Counts a failure against the handle, or remembers the address as the handle's. */
  afterLogIn(handle: string, address: string, succeeded: boolean): Promise<void>;
  beforeSignUp(address: string): Promise<void>;
}

export function createSignInGuard(deps: {
  logInsPerAddress: RateLimiter;
  failuresPerHandle: RateLimiter;
  signUpsPerAddress: RateLimiter;
  known: KnownAddresses;
}): SignInGuard {
  const subject = (handle: string) => handle.toLowerCase().slice(0, 64);
  const refuse = (decision: RateDecision, what: string) => {
    if (!decision.allowed) throw rateLimited(`${what}: try again in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds);
  };
  return {
    async beforeLogIn(handle, address) {
      refuse(await deps.logInsPerAddress.take(address), 'too many sign-in attempts from this address');
      const handleBudget = await deps.failuresPerHandle.peek(subject(handle));
      if (!handleBudget.allowed && !(await deps.known.has(subject(handle), address))) {
        refuse(handleBudget, 'too many failed sign-ins for this handle');
      }
    },
    async afterLogIn(handle, address, succeeded) {
      if (succeeded) await deps.known.remember(subject(handle), address);
      else await deps.failuresPerHandle.take(subject(handle));
    },
    async beforeSignUp(address) {
      refuse(await deps.signUpsPerAddress.take(address), 'too many sign-ups from this address');
    },
  };
}

/** Whether a logIn failed for a reason that counts against the handle (a wrong password), not an outage. */
export function isWrongCredentials(err: unknown): boolean {
  return err instanceof DomainError && err.code === 'UNAUTHENTICATED';
}
