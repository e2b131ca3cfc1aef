import type { User } from '../types.js';

/** Accounts: users, handles and password hashes. Adapters implement these; only the composition root knows which. */

export interface NewUser {
  user: User;
  passwordHash: string;
}

export interface UserRepository {
  /** Returns false (and writes nothing) when the handle is taken, ignoring case. */
  create(input: NewUser): Promise<boolean>;
  /**
   * Undoes `create`: removes the user and the password hash, and frees the handle if this user
   * still holds it. Idempotent.
   */
  remove(user: User): Promise<void>;
  /** Writes the user, hash and handle as given, whoever held the handle (replaying `users`). Idempotent. */
  restore(input: NewUser): Promise<void>;
  findIdByHandle(handle: string): Promise<string | null>;
  getPasswordHash(userId: string): Promise<string | null>;
  /** One round trip; null for unknown ids, in input order. */
  getMany(ids: readonly string[]): Promise<(User | null)[]>;
}
