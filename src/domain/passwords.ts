import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { unavailable } from './errors.js';

/** scrypt parameters (RFC 7914 interactive-login strength); stored with each hash so they can change. */
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, keyLen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keyLen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Returns `scrypt$N$r$p$salt$hash` (base64). The plain password is never stored. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LEN, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time check; false for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Password work as the API does it: bounded, with logins ahead of sign-ups. */
export interface PasswordHasher {
  /** For a sign-up: waits behind every queued login. */
  hash(password: string): Promise<string>;
  /** For a login: served before queued sign-ups. */
  verify(password: string, stored: string): Promise<boolean>;
}

/**
 * Runs at most `concurrency` scrypt computations at once (each holds one of libuv's threads, 4 by
 * default, and 16 MB, for tens of ms; unbounded, 60 parallel sign-ups queue every login, DNS lookup
 * and file read behind them). Waiting work starts in priority order, logins first, then FIFO. At most
 * `maxWaiting` of each kind wait; past that the request is refused with SERVICE_UNAVAILABLE instead
 * of queueing without bound.
 */
export function createPasswordHasher(options: {
  concurrency: number;
  maxWaiting?: number;
  /** Told each time a queue grows or shrinks, for a gauge. */
  onWaiting?: (priority: 'high' | 'low', waiting: number) => void;
}): PasswordHasher {
  const gate = new PriorityGate(options.concurrency, options.maxWaiting ?? 1000, options.onWaiting);
  return {
    hash: (password) => gate.run('low', () => hashPassword(password)),
    verify: (password, stored) => gate.run('high', () => verifyPassword(password, stored)),
  };
}

/** A semaphore whose waiters of `high` priority go before those of `low`. */
export class PriorityGate {
  private running = 0;
  private readonly waiting = { high: [] as (() => void)[], low: [] as (() => void)[] };

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
    private readonly onWaiting: (priority: 'high' | 'low', waiting: number) => void = () => {},
  ) {}

  async run<T>(priority: 'high' | 'low', work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      const queue = this.waiting[priority];
      if (queue.length >= this.maxWaiting) throw unavailable(`too many ${priority === 'high' ? 'logins' : 'sign-ups'} in progress: try again shortly`);
      await new Promise<void>((resolve) => {
        queue.push(resolve);
        this.onWaiting(priority, queue.length);
      });
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const priority = this.waiting.high.length > 0 ? 'high' : 'low';
      const next = this.waiting[priority].shift();
      if (next) {
        this.onWaiting(priority, this.waiting[priority].length);
        next();
      }
      else this.running--;
    }
  }
}
