import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSetting, SettingKey } from '@/lib/core/settings/settings';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { ensureInstanceKey, fingerprintKey } from './instance-key';

let instance: TempInstance;
let keyPath: string;
beforeEach(() => {
  instance = createTempInstance();
  keyPath = path.join(instance.dir, 'instance.key');
});
afterEach(() => instance.cleanup());

describe('ensureInstanceKey', () => {
  it('creates a 256-bit key readable by the owner only and records its fingerprint', async () => {
    const key = await ensureInstanceKey(instance.db, keyPath);
    expect(key).toHaveLength(32);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyPath, 'utf8').trim()).toBe(key.toString('hex'));
    expect(await getSetting(instance.db, SettingKey.instanceKeyFingerprint)).toBe(fingerprintKey(key));
  });

  it('loads the same key on every later start', async () => {
    const first = await ensureInstanceKey(instance.db, keyPath);
    expect((await ensureInstanceKey(instance.db, keyPath)).equals(first)).toBe(true);
  });

  it('refuses to replace a missing key once the database knows one, and writes no new file', async () => {
    await ensureInstanceKey(instance.db, keyPath);
    rmSync(keyPath);
    await expect(ensureInstanceKey(instance.db, keyPath)).rejects.toThrow(
      /instance key .* is missing, but this database was set up with one/,
    );
    expect(() => statSync(keyPath)).toThrow();
  });

  it('refuses a key that belongs to another instance', async () => {
    await ensureInstanceKey(instance.db, keyPath);
    writeFileSync(keyPath, `${'ab'.repeat(32)}\n`);
    await expect(ensureInstanceKey(instance.db, keyPath)).rejects.toThrow(/does not belong to this database/);
  });

  it('reports a damaged or unreadable key file clearly', async () => {
    writeFileSync(keyPath, 'not a key');
    await expect(ensureInstanceKey(instance.db, keyPath)).rejects.toThrow(/is damaged: expected 64 hex characters/);
    rmSync(keyPath);
    mkdirSync(keyPath); // reading a directory fails like an unreadable file does (tests run as root)
    await expect(ensureInstanceKey(instance.db, keyPath)).rejects.toThrow(/cannot be read \(EISDIR\)/);
  });
});
