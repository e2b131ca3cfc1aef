import { describe, expect, it } from 'vitest';
import { unavailable } from '../domain/errors.js';
import { UserEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { NewUser, UserRepository } from '../domain/users/ports.js';
import { createSnowflake } from '../domain/snowflake.js';
import { createTokenService } from '../domain/tokens.js';
import { createAccounts } from './accounts.js';

/** The repository's contract in memory: handles claimed case-insensitively. */
function memoryUsers() {
  const byHandle = new Map<string, string>();
  const byId = new Map<string, NewUser>();
  const repo: UserRepository = {
    async create(input) {
      const handle = input.user.handle.toLowerCase();
      if (byHandle.has(handle)) return false;
      byHandle.set(handle, input.user.id);
      byId.set(input.user.id, input);
      return true;
    },
    async remove(user) {
      if (byHandle.get(user.handle.toLowerCase()) === user.id) byHandle.delete(user.handle.toLowerCase());
      byId.delete(user.id);
    },
    async restore(input) {
      byHandle.set(input.user.handle.toLowerCase(), input.user.id);
      byId.set(input.user.id, input);
    },
    findIdByHandle: async (handle) => byHandle.get(handle.toLowerCase()) ?? null,
    getPasswordHash: async (id) => byId.get(id)?.passwordHash ?? null,
    getMany: async (ids) => ids.map((id) => byId.get(id)?.user ?? null),
  };
  return { repo, byHandle, byId };
}

const tokens = createTokenService('a-test-secret-that-is-long-enough-123', 60);

describe('signUp', () => {
  it('publishes user.registered with the user and the hash, keyed by user id', async () => {
    const users = memoryUsers();
    const published: { topic: string; key: string; event: unknown }[] = [];
    const events: EventPublisher = { publish: async (topic, key, event) => void published.push({ topic, key, event }) };
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events });

    const session = await accounts.signUp('Alice', 'correct horse');

    expect(published).toHaveLength(1);
    const [{ topic, key, event }] = published as [(typeof published)[0]];
    expect(topic).toBe('users');
    expect(key).toBe(session.user.id);
    const parsed = UserEvent.parse(event);
    expect(parsed.data.user).toEqual(session.user);
    expect(parsed.data.passwordHash).toBe(users.byId.get(session.user.id)?.passwordHash);
    expect(parsed.data.passwordHash).toMatch(/^scrypt\$/);
  });

  it('undoes its Redis writes and passes the error on when the publish fails', async () => {
    const users = memoryUsers();
    const events: EventPublisher = {
      publish: async () => {
        throw unavailable('the event log is unavailable right now; nothing was saved, try again');
      },
    };
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events });

    await expect(accounts.signUp('bob', 'correct horse')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(users.byHandle.size).toBe(0);
    expect(users.byId.size).toBe(0);
  });

  it('publishes nothing for a taken handle', async () => {
    const users = memoryUsers();
    const published: unknown[] = [];
    const events: EventPublisher = { publish: async (_t, _k, event) => void published.push(event) };
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events });
    await accounts.signUp('carol', 'correct horse');
    await expect(accounts.signUp('CAROL', 'another password')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(published).toHaveLength(1);
  });
});
