import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { createApiToken, hashApiToken, listApiTokens, revokeApiToken } from './api-tokens';
import { authenticateApiToken, LAST_USED_RESOLUTION_MS } from './authenticate-api-token';

let instance: TempInstance;
beforeEach(() => {
  instance = createTempInstance();
});
afterEach(() => instance.cleanup());

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const T0 = new Date('2026-11-28T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe('API tokens', () => {
  it('are high-entropy cob_ tokens of which only the SHA-256 is stored', async () => {
    const { token, view } = await createApiToken(instance.db, { name: '  nightly script ', createdBy: 'admin' }, T0);
    expect(token).toMatch(/^cob_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(view).toEqual({
      id: expect.any(String),
      name: 'nightly script',
      createdBy: 'admin',
      createdAt: T0.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    });
    const rows = await instance.db.apiToken.findMany();
    expect(rows.map((r) => r.tokenHash)).toEqual([hashApiToken(token)]);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(JSON.stringify(await listApiTokens(instance.db))).not.toContain(hashApiToken(token));
    const second = await createApiToken(instance.db, { name: 'other' });
    expect(second.token).not.toBe(token);
  });

  it('authenticate only the exact token', async () => {
    const { token, view } = await createApiToken(instance.db, { name: 'ci' });
    expect(await authenticateApiToken(instance.db, token)).toEqual({ tokenId: view.id, tokenName: 'ci' });
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [
      flipped,
      `${token}x`,
      token.slice(0, -1),
      token.replace('cob_', 'cox_'),
      '',
      'Bearer',
      `cob_${'A'.repeat(43)}`,
    ])
      expect(await authenticateApiToken(instance.db, wrong)).toBeNull();
  });

  it('refuse empty, overlong and duplicate active names, with the field named', async () => {
    await createApiToken(instance.db, { name: 'backup-cron' });
    const cases: [string, string, string][] = [
      ['   ', 'invalid_input', 'Give the token a name, e.g. the script that will use it.'],
      ['x'.repeat(101), 'invalid_input', 'A token name has at most 100 characters.'],
      ['a\u0007b', 'invalid_input', 'A token name cannot contain control characters.'],
      [' backup-cron', 'conflict', 'An API token named “backup-cron” exists. Choose another name, or revoke that token first.'],
    ];
    for (const [name, code, message] of cases) {
      const error = await rejectionOf(createApiToken(instance.db, { name }));
      expect([error.code, error.message, error.fields]).toEqual([code, message, { name: message }]);
    }
    expect(await instance.db.apiToken.count()).toBe(1);
  });

  it('revoked by name or id stop authenticating at once, stay listed with --all, and free the name', async () => {
    const a = await createApiToken(instance.db, { name: 'a' }, T0);
    const b = await createApiToken(instance.db, { name: 'b' }, later(1000));
    const revokedA = await revokeApiToken(instance.db, 'a', later(5000));
    expect(revokedA).toMatchObject({ id: a.view.id, revokedAt: later(5000).toISOString() });
    expect(await authenticateApiToken(instance.db, a.token)).toBeNull();
    await revokeApiToken(instance.db, b.view.id);
    expect(await authenticateApiToken(instance.db, b.token)).toBeNull();
    expect(await listApiTokens(instance.db)).toEqual([]);
    expect((await listApiTokens(instance.db, { includeRevoked: true })).map((t) => t.name)).toEqual(['b', 'a']);

    const again = await rejectionOf(revokeApiToken(instance.db, a.view.id));
    expect([again.code, again.message]).toEqual([
      'conflict',
      `The API token “a” was already revoked on ${later(5000).toISOString()}.`,
    ]);
    const unknown = await rejectionOf(revokeApiToken(instance.db, 'a'));
    expect([unknown.code, unknown.message]).toEqual(['not_found', 'No active API token is named or has the id “a”.']);

    const reborn = await createApiToken(instance.db, { name: 'a' });
    expect(await authenticateApiToken(instance.db, reborn.token)).toMatchObject({ tokenName: 'a' });
    expect(await authenticateApiToken(instance.db, a.token)).toBeNull();
  });

  it('record their last use at most once a minute', async () => {
    const { token, view } = await createApiToken(instance.db, { name: 'poller' }, T0);
    const lastUsed = async () => (await instance.db.apiToken.findUniqueOrThrow({ where: { id: view.id } })).lastUsedAt;
    await authenticateApiToken(instance.db, token, later(1000));
    expect(await lastUsed()).toEqual(later(1000));
    await authenticateApiToken(instance.db, token, later(1000 + LAST_USED_RESOLUTION_MS - 1));
    expect(await lastUsed()).toEqual(later(1000));
    await authenticateApiToken(instance.db, token, later(1000 + LAST_USED_RESOLUTION_MS));
    expect(await lastUsed()).toEqual(later(1000 + LAST_USED_RESOLUTION_MS));
    expect((await listApiTokens(instance.db))[0]?.lastUsedAt).toBe(later(1000 + LAST_USED_RESOLUTION_MS).toISOString());
  });
});
