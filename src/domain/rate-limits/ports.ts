/** Budgets per subject (user, handle, client address). Adapters implement these; only the composition root knows which. */

/** Counts requests per subject in a fixed window. */
export interface RateLimiter {
  /**
   * Takes one request from `subject`'s allowance. A refused request changes nothing stored and says
   * how many seconds until the window resets.
   */
  take(subject: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}
