import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unseal } from '@/lib/core/crypto/seal';
import { getSetting, SettingKey } from '@/lib/core/settings/settings';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { initializeInstance, isInstanceInitialized } from './initialize-instance';

let instance: TempInstance;
const key = randomBytes(32);
const valid = {
  username: 'Admin',
  password: 'correct horse battery',
  passphrase: { mode: 'choose', value: 'a long backup passphrase' },
};

beforeEach(() => {
  instance = createTempInstance();
});
afterEach(() => instance.cleanup());

async function checkpointedDbBytes(): Promise<string> {
  await instance.db.$executeRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
  return readFileSync(instance.databasePath).toString('latin1');
}

describe('initializeInstance', () => {
  it('creates the admin and stores the passphrase sealed, never in plain text', async () => {
    const result = await initializeInstance(instance.db, key, valid);
    expect(result.generatedPassphrase).toBeUndefined();
    expect(await isInstanceInitialized(instance.db)).toBe(true);
    expect((await instance.db.user.findMany()).map((u) => u.username)).toEqual(['admin']);
    const stored = await getSetting(instance.db, SettingKey.backupPassphrase);
    expect(stored).toMatch(/^sealed:v1:/);
    expect(unseal(key, SettingKey.backupPassphrase, stored ?? '')).toBe('a long backup passphrase');
    const bytes = await checkpointedDbBytes();
    expect(bytes).not.toContain('a long backup passphrase');
    expect(bytes).not.toContain('correct horse battery');
  });

  it('generates a strong passphrase when asked and returns it once', async () => {
    const result = await initializeInstance(instance.db, key, { ...valid, passphrase: { mode: 'generate' } });
    expect(result.generatedPassphrase).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(unseal(key, SettingKey.backupPassphrase, (await getSetting(instance.db, SettingKey.backupPassphrase)) ?? '')).toBe(
      result.generatedPassphrase,
    );
  });

  it('refuses a second setup and changes nothing', async () => {
    await initializeInstance(instance.db, key, valid);
    const before = await instance.db.setting.findMany({ orderBy: { key: 'asc' } });
    await expect(initializeInstance(instance.db, key, { ...valid, username: 'intruder' })).rejects.toThrow(/already set up/);
    expect((await instance.db.user.findMany()).map((u) => u.username)).toEqual(['admin']);
    expect(await instance.db.setting.findMany({ orderBy: { key: 'asc' } })).toEqual(before);
  });

  it('lets exactly one of two concurrent setups win', async () => {
    const other = instance.openAnotherDb();
    const results = await Promise.allSettled([
      initializeInstance(instance.db, key, { ...valid, username: 'first' }),
      initializeInstance(other, key, { ...valid, username: 'second' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await instance.db.user.count()).toBe(1);
  });

  it.each([
    [{ ...valid, password: 'short' }, /password must be at least 12/],
    [{ ...valid, passphrase: { mode: 'choose', value: 'too short' } }, /passphrase must be at least 12/],
    [{ ...valid, username: 'a b' }, /username must be 3–64 characters/],
    [{ ...valid, passphrase: { mode: 'other' } }, /Invalid/],
  ])('rejects bad input with a clear message and writes nothing (%#)', async (input, message) => {
    await expect(initializeInstance(instance.db, key, input)).rejects.toThrow(message);
    expect(await instance.db.user.count()).toBe(0);
    expect(await isInstanceInitialized(instance.db)).toBe(false);
  });
});
