import { type KeyFile, masterKeyId, parseKeyFile } from '../crypto/key-file';
import { seal, unseal } from '../crypto/seal';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { SettingKey } from '../settings/settings';
import { type BackupKeys, loadBackupKeys } from './backup-keys';

/** The sealing context of a held master key: a sealed key cannot be moved to another id. */
export const heldKeyContext = (keyId: string) => `masterKey:${keyId}`;

/**
 * Every master key this instance can open backups with: its own (which new backups use) and
 * the ones it imported (docs/FORMAT.md §1, "Key ring"). Backups name their key by id in the
 * manifest and the catalog; a reader picks the key by that id and lets the MAC decide.
 */
export interface KeyRing {
  own: BackupKeys;
  /** The master key with this id and the key file it came with, or null when the instance holds none. */
  get(keyId: string): BackupKeys | null;
  ids(): string[];
}

export async function loadKeyRing(db: Db, instanceKey: Buffer): Promise<KeyRing> {
  const own = await loadBackupKeys(db, instanceKey);
  const keys = new Map<string, BackupKeys>([[own.keyFile.keyId, own]]);
  for (const row of await db.masterKey.findMany()) {
    const masterKey = Buffer.from(unseal(instanceKey, heldKeyContext(row.keyId), row.sealedKey), 'hex');
    if (masterKeyId(masterKey) !== row.keyId) throw new AppError('internal', `The held master key ${row.keyId} is damaged.`);
    keys.set(row.keyId, { masterKey, keyFile: parseKeyFile(JSON.parse(row.keyFile)) });
  }
  return { own, get: (keyId) => keys.get(keyId) ?? null, ids: () => [...keys.keys()] };
}

/**
 * Keeps a master key opened from a target's key file, sealed with the instance key. Holding
 * the instance's own key, or one held already, changes nothing. Returns true when it was new.
 */
export async function holdMasterKey(db: Db, instanceKey: Buffer, masterKey: Buffer, keyFile: KeyFile): Promise<boolean> {
  const keyId = masterKeyId(masterKey);
  if (keyId !== keyFile.keyId) throw new AppError('internal', 'The key file does not belong to this master key.');
  const ownFile = await db.setting.findUnique({ where: { key: SettingKey.backupKeyFile } });
  if (ownFile && parseKeyFile(JSON.parse(ownFile.value)).keyId === keyId) return false;
  if (await db.masterKey.findUnique({ where: { keyId } })) return false;
  await db.masterKey.create({
    data: {
      keyId,
      sealedKey: seal(instanceKey, heldKeyContext(keyId), masterKey.toString('hex')),
      keyFile: JSON.stringify(keyFile),
    },
  });
  return true;
}

/**
 * Makes an imported master key the instance's own, with the key file the passphrase opened:
 * new backups then continue under the key the old server used, and its key files keep opening
 * everything. Only callers that checked the instance never used its own key may do this
 * (importBackups' adoption rule, docs/DISASTER-RECOVERY.md).
 */
export async function adoptMasterKey(db: Db, instanceKey: Buffer, masterKey: Buffer, keyFile: KeyFile): Promise<void> {
  const keyId = masterKeyId(masterKey);
  if (keyId !== keyFile.keyId) throw new AppError('internal', 'The key file does not belong to this master key.');
  await db.$transaction([
    db.setting.update({
      where: { key: SettingKey.backupMasterKey },
      data: { value: seal(instanceKey, SettingKey.backupMasterKey, masterKey.toString('hex')) },
    }),
    db.setting.update({ where: { key: SettingKey.backupKeyFile }, data: { value: JSON.stringify(keyFile) } }),
    db.masterKey.deleteMany({ where: { keyId } }),
  ]);
}
