import { describe, expect, it } from 'vitest';
import { rateLimited, unavailable } from '../domain/errors.js';
import { UserEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { NewUser, UserRepository } from '../domain/users/ports.js';
import { createSnowflake } from '../domain/snowflake.js';
import { createTokenService } from '../domain/tokens.js';
import { createAccounts } from './accounts.js';
import type { SignInGuard } from './sign-in-guard.js';
import { createPasswordHasher, PriorityGate, type PasswordHasher } from '../domain/passwords.js';

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
const passwords = createPasswordHasher({ concurrency: 2 });
/** A guard that refuses nothing and records what it was told. */
function recordingGuard(refuseSignUps = false) {
  const calls: string[] = [];
  const guard: SignInGuard = {
    async beforeLogIn(handle, address) {
      calls.push(`before ${handle} ${address}`);
    },
    async afterLogIn(handle, address, ok) {
      calls.push(`after ${handle} ${address} ${ok}`);
    },
    async beforeSignUp(address) {
      calls.push(`signup ${address}`);
      if (refuseSignUps) throw rateLimited('too many sign-ups from this address: try again in 60 s', 60);
    },
  };
  return { guard, calls };
}
const guard = recordingGuard().guard;

describe('signUp', () => {
  it('publishes user.registered with the user and the hash, keyed by user id', async () => {
    const users = memoryUsers();
    const published: { topic: string; key: string; event: unknown }[] = [];
    const events: EventPublisher = { publish: async (topic, key, event) => void published.push({ topic, key, event }) };
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events, passwords, guard });

    const session = await accounts.signUp('Alice', 'correct horse', '10.0.0.1');

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
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events, passwords, guard });

    await expect(accounts.signUp('bob', 'correct horse', '10.0.0.1')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(users.byHandle.size).toBe(0);
    expect(users.byId.size).toBe(0);
  });

  it('publishes nothing for a taken handle', async () => {
    const users = memoryUsers();
    const published: unknown[] = [];
    const events: EventPublisher = { publish: async (_t, _k, event) => void published.push(event) };
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events, passwords, guard });
    await accounts.signUp('carol', 'correct horse', '10.0.0.1');
    await expect(accounts.signUp('CAROL', 'another password', '10.0.0.1')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(published).toHaveLength(1);
  });

  it('refuses a taken handle before hashing anything', async () => {
    const users = memoryUsers();
    const hashed: string[] = [];
    const counting: PasswordHasher = { hash: async (p) => (hashed.push(p), passwords.hash(p)), verify: passwords.verify };
    const events: EventPublisher = { publish: async () => undefined };
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events, passwords: counting, guard });
    await accounts.signUp('dave', 'correct horse', '10.0.0.1');
    await expect(accounts.signUp('Dave', 'another password', '10.0.0.1')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'handle "Dave" is already taken' });
    expect(hashed).toEqual(['correct horse']);
  });
});

describe('password work', () => {
  it('runs at most `concurrency` at once and starts queued logins before queued sign-ups', async () => {
    const gate = new PriorityGate(2, 100);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const job = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return name;
    };
    const signUps = Array.from({ length: 6 }, (_, i) => gate.run('low', job(`signup${i}`)));
    const login = gate.run('high', job('login'));
    await Promise.all([...signUps, login]);
    expect(most).toBe(2);
    // Two sign-ups had the slots already; the login takes the first one freed.
    expect(order.slice(0, 3)).toEqual(['signup0', 'signup1', 'login']);
  });

  it('refuses work past the queue bound with SERVICE_UNAVAILABLE instead of queueing without end', async () => {
    const gate = new PriorityGate(1, 2);
    let release = () => {};
    const blocker = gate.run('low', () => new Promise<void>((resolve) => (release = resolve)));
    const queued = [gate.run('low', async () => 1), gate.run('low', async () => 2)];
    await expect(gate.run('low', async () => 3)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    // Logins have their own bound: they still queue.
    const login = gate.run('high', async () => 'login');
    release();
    await blocker;
    expect(await Promise.all([...queued, login])).toEqual([1, 2, 'login']);
  });

  it('reports each queue length as it grows and shrinks (the password_hash_waiting gauge)', async () => {
    const seen: string[] = [];
    const gate = new PriorityGate(1, 10, (priority, waiting) => seen.push(`${priority}:${waiting}`));
    let release = () => {};
    const blocker = gate.run('low', () => new Promise<void>((resolve) => (release = resolve)));
    const queued = [gate.run('low', async () => 1), gate.run('low', async () => 2), gate.run('high', async () => 3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['low:1', 'low:2', 'high:1']);
    release();
    await Promise.all([blocker, ...queued]);
    expect(seen.slice(3)).toEqual(['high:0', 'low:1', 'low:0']);
  });

  it('hashes and verifies through the gate', async () => {
    const stored = await passwords.hash('correct horse');
    expect(await passwords.verify('correct horse', stored)).toBe(true);
    expect(await passwords.verify('wrong horse', stored)).toBe(false);
  });
});

describe('the sign-in budgets inside the use case', () => {
  it('spends the address sign-up budget before any work: a refused sign-up hashes, stores and publishes nothing', async () => {
    const users = memoryUsers();
    const published: unknown[] = [];
    const events: EventPublisher = { publish: async (_t, _k, event) => void published.push(event) };
    let hashed = 0;
    const counting: PasswordHasher = { hash: async (p) => (hashed++, passwords.hash(p)), verify: (p, s) => passwords.verify(p, s) };
    const { guard: refusing, calls } = recordingGuard(true);
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events, passwords: counting, guard: refusing });
    await expect(accounts.signUp('erin', 'correct horse', '10.0.0.9')).rejects.toMatchObject({ code: 'RATE_LIMITED', extensions: { retryAfterSeconds: 60 } });
    expect(calls).toEqual(['signup 10.0.0.9']);
    expect({ hashed, stored: users.byId.size, published: published.length }).toEqual({ hashed: 0, stored: 0, published: 0 });
  });

  it('tells the guard how each logIn ended: a wrong password counts against the handle, a success remembers the address', async () => {
    const users = memoryUsers();
    const events: EventPublisher = { publish: async () => {} };
    const { guard: recording, calls } = recordingGuard();
    const accounts = createAccounts({ users: users.repo, ids: createSnowflake(1), tokens, events, passwords, guard: recording });
    await accounts.signUp('frank', 'correct horse', '10.0.0.2');
    await expect(accounts.logIn('frank', 'wrong horse', '10.0.0.3')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await accounts.logIn('frank', 'correct horse', '10.0.0.2');
    expect(calls).toEqual(['signup 10.0.0.2', 'before frank 10.0.0.3', 'after frank 10.0.0.3 false', 'before frank 10.0.0.2', 'after frank 10.0.0.2 true']);
  });
});
