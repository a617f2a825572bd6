import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { hashPassword, verifyPassword } from './password';
import { LOGIN_FAILURE_LIMIT, LOGIN_WINDOW_MS } from './rate-limit';
import { createSession, deleteSession, hashToken, SESSION_TTL_MS, validateSession } from './sessions';
import { INVALID_CREDENTIALS, signIn } from './sign-in';

let instance: TempInstance;
const PASSWORD = 'correct horse battery';

beforeEach(async () => {
  instance = createTempInstance();
  await instance.db.user.create({ data: { id: randomUUID(), username: 'admin', passwordHash: await hashPassword(PASSWORD) } });
});
afterEach(() => instance.cleanup());

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('password hashing', () => {
  it('uses Argon2id with a salt, and verifies only the right password', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=\d+,p=\d+,t=\d+\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, PASSWORD)).toBe(true);
    expect(await verifyPassword(a, `${PASSWORD}!`)).toBe(false);
    expect(await verifyPassword('garbage', PASSWORD)).toBe(false);
  });
});

describe('sessions', () => {
  it('stores only the hash of the token and finds the user by the token', async () => {
    const user = await instance.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const { token } = await createSession(instance.db, user.id);
    const rows = await instance.db.session.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await validateSession(instance.db, token)).toMatchObject({ userId: user.id, username: 'admin' });
    expect(await validateSession(instance.db, `${token}x`)).toBeNull();
    expect(await validateSession(instance.db, undefined)).toBeNull();
  });

  it('expires after the TTL and is removed then', async () => {
    const user = await instance.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const start = new Date('2026-01-01T00:00:00Z');
    const { token, expiresAt } = await createSession(instance.db, user.id, start);
    expect(expiresAt.getTime() - start.getTime()).toBe(SESSION_TTL_MS);
    expect(await validateSession(instance.db, token, new Date(start.getTime() + SESSION_TTL_MS - 1000))).not.toBeNull();
    expect(await validateSession(instance.db, token, new Date(start.getTime() + SESSION_TTL_MS))).toBeNull();
    expect(await instance.db.session.count()).toBe(0);
  });

  it('logout deletes the session', async () => {
    const user = await instance.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const { token } = await createSession(instance.db, user.id);
    await deleteSession(instance.db, token);
    expect(await validateSession(instance.db, token)).toBeNull();
  });
});

describe('signIn', () => {
  it('opens a session for the right password (username case-insensitive)', async () => {
    const { token } = await signIn(instance.db, { username: 'Admin', password: PASSWORD }, '10.0.0.1');
    expect(await validateSession(instance.db, token)).toMatchObject({ username: 'admin' });
  });

  it('gives the same message for an unknown user and a wrong password (no enumeration)', async () => {
    const wrongPassword = await errorOf(signIn(instance.db, { username: 'admin', password: 'nope nope nope' }, '10.0.0.1'));
    const unknownUser = await errorOf(signIn(instance.db, { username: 'ghost', password: 'nope nope nope' }, '10.0.0.2'));
    expect([wrongPassword.code, wrongPassword.message]).toEqual(['unauthenticated', INVALID_CREDENTIALS]);
    expect([unknownUser.code, unknownUser.message]).toEqual(['unauthenticated', INVALID_CREDENTIALS]);
    expect(await instance.db.session.count()).toBe(0);
  });

  it(`locks a username after ${LOGIN_FAILURE_LIMIT} failures a minute, even for the right password, with a retry-after`, async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < LOGIN_FAILURE_LIMIT; i += 1) {
      const at = new Date(t0.getTime() + i * 1000);
      expect((await errorOf(signIn(instance.db, { username: 'admin', password: 'wrong wrong' }, `10.0.0.${i}`, at))).code).toBe(
        'unauthenticated',
      );
    }
    const now = new Date(t0.getTime() + 10_000);
    const limited = await errorOf(signIn(instance.db, { username: 'admin', password: PASSWORD }, '10.9.9.9', now));
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryAfterSeconds).toBe(50); // the oldest failure leaves the window at t0 + 60 s
    expect(limited.message).toMatch(/Try again in 50 seconds/);
    const later = new Date(t0.getTime() + LOGIN_WINDOW_MS + 1000);
    expect((await signIn(instance.db, { username: 'admin', password: PASSWORD }, '10.9.9.9', later)).token).toBeTruthy();
  });

  it('limits one address trying many usernames', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < LOGIN_FAILURE_LIMIT; i += 1) {
      await errorOf(signIn(instance.db, { username: `user${i}`, password: 'wrong wrong' }, '192.0.2.7', t0));
    }
    const limited = await errorOf(signIn(instance.db, { username: 'admin', password: PASSWORD }, '192.0.2.7', t0));
    expect(limited.code).toBe('rate_limited');
    // Another address is not affected.
    expect((await signIn(instance.db, { username: 'admin', password: PASSWORD }, '192.0.2.8', t0)).token).toBeTruthy();
  });
});
