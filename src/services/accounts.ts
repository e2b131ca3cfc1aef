import { badInput, unauthenticated } from '../domain/errors.js';
import type { PasswordHasher } from '../domain/passwords.js';
import { makeEvent, type UserEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { UserRepository } from '../domain/users/ports.js';
import type { SnowflakeGenerator } from '../domain/snowflake.js';
import { snowflakeTime } from '../domain/snowflake.js';
import type { TokenService } from '../domain/tokens.js';
import type { User } from '../domain/types.js';
import { validateHandle, validatePassword } from '../domain/validation.js';
import { isWrongCredentials, type SignInGuard } from './sign-in-guard.js';

export interface Session {
  token: string;
  user: User;
}

export interface Accounts {
  /**
   * Spends one of the client address's sign-ups (RATE_LIMITED when spent; sign-in-guard.ts), refuses a taken handle before any password work (one GET: sign-ups for taken handles cost no
   * scrypt), hashes the password, claims the handle in Redis (uniqueness, also against a sign-up
   * racing this one), writes the user and hash, then publishes
   * `user.registered` to `users`, keyed by user id (the record a rebuild restores users from).
   * Throws BAD_USER_INPUT for a bad or taken handle or a short password, and SERVICE_UNAVAILABLE
   * when the publish fails; either way nothing stays stored.
   */
  signUp(handle: string, password: string, clientAddress: string): Promise<Session>;
  /**
   * Budgeted by client address and handle before any password work (sign-in-guard.ts). Throws
   * UNAUTHENTICATED with one message for unknown handle and wrong password alike.
   */
  logIn(handle: string, password: string, clientAddress: string): Promise<Session>;
}

export function createAccounts(deps: {
  users: UserRepository;
  ids: SnowflakeGenerator;
  tokens: TokenService;
  events: EventPublisher;
  /** Bounded scrypt work, logins first (createPasswordHasher). */
  passwords: PasswordHasher;
  guard: SignInGuard;
}): Accounts {
  const taken = (handle: string) => badInput('handle', `handle "${handle}" is already taken`);
  return {
    async signUp(handle, password, clientAddress) {
      await deps.guard.beforeSignUp(clientAddress);
      validateHandle(handle);
      validatePassword(password);
      if ((await deps.users.findIdByHandle(handle)) !== null) throw taken(handle);
      const passwordHash = await deps.passwords.hash(password);
      const id = deps.ids.next();
      const user: User = { id, handle, createdAt: new Date(snowflakeTime(id)).toISOString() };
      if (!(await deps.users.create({ user, passwordHash }))) throw taken(handle);
      try {
        await deps.events.publish('users', id, makeEvent<UserEvent>('user.registered', { user, passwordHash }));
      } catch (err) {
        await deps.users.remove(user);
        throw err;
      }
      return { token: await deps.tokens.issue(id), user };
    },
    async logIn(handle, password, clientAddress) {
      await deps.guard.beforeLogIn(handle, clientAddress);
      let session: Session;
      try {
        session = await checkPassword(handle, password);
      } catch (err) {
        if (isWrongCredentials(err)) await deps.guard.afterLogIn(handle, clientAddress, false);
        throw err;
      }
      await deps.guard.afterLogIn(handle, clientAddress, true);
      return session;
    },
  };

  async function checkPassword(handle: string, password: string): Promise<Session> {
    const failed = () => unauthenticated('wrong handle or password');
    if (password.length > 1024) throw failed();
    const id = await deps.users.findIdByHandle(handle);
    const stored = id ? await deps.users.getPasswordHash(id) : null;
    if (!id || !stored || !(await deps.passwords.verify(password, stored))) throw failed();
    const [user] = await deps.users.getMany([id]);
    if (!user) throw failed();
    return { token: await deps.tokens.issue(id), user };
  }
}
