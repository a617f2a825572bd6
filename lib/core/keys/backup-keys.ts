import { z } from 'zod';
import { createKeyFile, type KeyFile, parseKeyFile, tryOpenKeyFile } from '../crypto/key-file';
import { seal, unseal } from '../crypto/seal';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { getSetting, SettingKey } from '../settings/settings';
import { MIN_PASSPHRASE_LENGTH } from '../setup/passphrase-rules';
import { type KeyFilePublication, publishKeyFile } from './publish-key-file';

export interface BackupKeys {
  masterKey: Buffer;
  keyFile: KeyFile;
}

/** The instance's master key and key file, as every backup needs them. */
export async function loadBackupKeys(db: Db, instanceKey: Buffer): Promise<BackupKeys> {
  const [sealedKey, keyFileJson] = await Promise.all([
    getSetting(db, SettingKey.backupMasterKey),
    getSetting(db, SettingKey.backupKeyFile),
  ]);
  if (!sealedKey || !keyFileJson) throw new AppError('conflict', 'This instance is not set up yet: there is no backup key.');
  const masterKey = Buffer.from(unseal(instanceKey, SettingKey.backupMasterKey, sealedKey), 'hex');
  return { masterKey, keyFile: parseKeyFile(JSON.parse(keyFileJson)) };
}

export const changePassphraseInputSchema = z.object({
  current: z.string().min(1, 'Enter the current passphrase.'),
  next: z
    .string()
    .min(MIN_PASSPHRASE_LENGTH, `The new passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`)
    .max(1024),
});

export interface PassphraseChange extends KeyFilePublication {
  keyFile: KeyFile;
}

/**
 * Changes the backup passphrase: the master key is re-wrapped under the new passphrase (new
 * salt) and stays the same. The new key file goes to every target at once (unreachable ones
 * stay marked pending and get it at their next backup), so every existing backup opens with
 * the new passphrase wherever its target is — and, through the key copy in its own header,
 * still with the old one. Backups made from now on carry only the new one.
 */
export async function changeBackupPassphrase(db: Db, instanceKey: Buffer, rawInput: unknown): Promise<PassphraseChange> {
  const parsed = changePassphraseInputSchema.safeParse(rawInput);
  if (!parsed.success) throw new AppError('invalid_input', parsed.error.issues[0]?.message ?? 'Invalid input.');
  const { keyFile } = await loadBackupKeys(db, instanceKey);
  const masterKey = await tryOpenKeyFile(keyFile, parsed.data.current);
  if (!masterKey) throw new AppError('wrong_passphrase', 'The current passphrase is wrong; nothing was changed.');
  const next = await createKeyFile(masterKey, parsed.data.next);
  await db.$transaction([
    db.setting.update({ where: { key: SettingKey.backupKeyFile }, data: { value: JSON.stringify(next) } }),
    db.setting.update({
      where: { key: SettingKey.backupPassphrase },
      data: { value: seal(instanceKey, SettingKey.backupPassphrase, parsed.data.next) },
    }),
    db.target.updateMany({ data: { keyFilePending: true } }),
  ]);
  return { keyFile: next, ...(await publishKeyFile(db, instanceKey, next)) };
}
