import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A password, key or other credential. It prints, logs and serialises as `[redacted]` (String,
 * JSON, pino, util.inspect), so passing a config slice to a logger or into an error message
 * never shows it; `reveal()` hands the value to the one client that needs it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself: give it only to the client library that authenticates with it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
