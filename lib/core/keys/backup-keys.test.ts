import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tryOpenKeyFile } from '@/lib/core/crypto/key-file';
import { getSetting, SettingKey } from '@/lib/core/settings/settings';
import { openBytes, sealBytes } from '@/test/helpers/archive-bytes';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { initializeInstance } from '../setup/initialize-instance';
import { changeBackupPassphrase, loadBackupKeys } from './backup-keys';

let instance: TempInstance;
const instanceKey = randomBytes(32);
const OLD = 'the first passphrase';
const NEW = 'the second passphrase';

beforeEach(async () => {
  instance = createTempInstance();
  await initializeInstance(instance.db, instanceKey, {
    username: 'admin',
    password: 'correct horse battery',
    passphrase: { mode: 'choose', value: OLD },
  });
});
afterEach(() => instance.cleanup());

describe('the instance master key', () => {
  it('is created at setup, stored sealed, with a key file that the passphrase opens', async () => {
    const { masterKey, keyFile } = await loadBackupKeys(instance.db, instanceKey);
    expect(masterKey).toHaveLength(32);
    expect((await tryOpenKeyFile(keyFile, OLD))?.equals(masterKey)).toBe(true);
    expect(await getSetting(instance.db, SettingKey.backupMasterKey)).toMatch(/^sealed:v1:/);
    await instance.db.$executeRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(readFileSync(instance.databasePath).toString('latin1')).not.toContain(masterKey.toString('hex'));
  });

  it('after a passphrase change, an old backup opens with the new passphrase and with the old one', async () => {
    const { masterKey, keyFile } = await loadBackupKeys(instance.db, instanceKey);
    const data = Buffer.from('the photo library, 2016–2026');
    const { stored } = await sealBytes(data, { masterKey, keyFile, chunkSize: 64 });

    await changeBackupPassphrase(instance.db, instanceKey, { current: OLD, next: NEW });
    const after = await loadBackupKeys(instance.db, instanceKey);
    expect(after.masterKey.equals(masterKey)).toBe(true);
    expect(after.keyFile.kdf.salt).not.toBe(keyFile.kdf.salt);

    expect((await openBytes(stored, { passphrase: NEW, keyFiles: [after.keyFile] })).plain.equals(data)).toBe(true);
    expect((await openBytes(stored, { passphrase: OLD, keyFiles: [after.keyFile] })).plain.equals(data)).toBe(true);
  });

  it('refuses a wrong current passphrase or a short new one, and changes nothing', async () => {
    const before = await instance.db.setting.findMany({ orderBy: { key: 'asc' } });
    await expect(changeBackupPassphrase(instance.db, instanceKey, { current: 'not it at all', next: NEW })).rejects.toMatchObject(
      {
        code: 'wrong_passphrase',
        message: 'The current passphrase is wrong; nothing was changed.',
      },
    );
    await expect(changeBackupPassphrase(instance.db, instanceKey, { current: OLD, next: 'short' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await instance.db.setting.findMany({ orderBy: { key: 'asc' } })).toEqual(before);
  });
});
