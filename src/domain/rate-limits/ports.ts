/** Budgets per subject (user, handle, client address). Adapters implement these; only the composition root knows which. */

/** Counts requests per subject in a fixed window. */
export interface RateLimiter {
  /**
   * Takes one request from `subject`'s allowance. A refused request changes nothing stored and says
   * how many seconds until the window resets.
   */
  take(subject: string): Promise<RateDecision>;
  /** Whether `subject` has allowance left, spending none (for budgets that count only failures). */
  peek(subject: string): Promise<RateDecision>;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Client addresses a handle was signed in from successfully, remembered for a while: when a
 * handle's failure budget is spent (someone guesses from many addresses), its owner's known
 * addresses can still sign in.
 */
export interface KnownAddresses {
  has(handle: string, address: string): Promise<boolean>;
  remember(handle: string, address: string): Promise<void>;
}
