import { hasRepository, putKeyFile } from '../backup/repository';
import type { KeyFile } from '../crypto/key-file';
import type { Db } from '../db/client';
import { SettingKey } from '../settings/settings';
import { buildDriver } from '../targets/targets';

export interface KeyFilePublication {
  /** Targets holding a repository that now has the key file. */
  written: string[];
  /** Targets that could not be reached: they get the key file at their next backup. */
  pending: { target: string; reason: string }[];
}

/**
 * Clears a target's "key file pending" mark once `keyFile` is on it — unless the passphrase
 * changed again meanwhile (the key file written is no longer the current one).
 */
export async function clearKeyFilePending(db: Db, targetId: string, keyFile: KeyFile): Promise<void> {
  const current = await db.setting.findUnique({ where: { key: SettingKey.backupKeyFile } });
  if (current?.value !== JSON.stringify(keyFile)) return;
  await db.target.updateMany({ where: { id: targetId, keyFilePending: true }, data: { keyFilePending: false } });
}

/**
 * Writes the instance's current key file to every target marked pending (after a passphrase
 * change: all of them), so backups made before the change open with the new passphrase
 * wherever their target is. A target without a repository has no backups to open yet: its
 * mark is cleared, and its first backup writes the key file. Targets are tried at once, each
 * without retries: an unreachable one stays pending instead of holding the others up.
 */
export async function publishKeyFile(db: Db, instanceKey: Buffer, keyFile: KeyFile): Promise<KeyFilePublication> {
  const rows = await db.target.findMany({ where: { keyFilePending: true }, orderBy: { createdAt: 'asc' } });
  const outcomes = await Promise.all(
    rows.map(async (row) => {
      const driver = buildDriver(row, instanceKey);
      try {
        const isRepository = await hasRepository(driver);
        if (isRepository) await putKeyFile(driver, keyFile);
        await clearKeyFilePending(db, row.id, keyFile);
        return { target: row.name, written: isRepository, reason: null };
      } catch (error) {
        return { target: row.name, written: false, reason: error instanceof Error ? error.message : String(error) };
      } finally {
        await driver.close().catch(() => {}); // closing a connection that failed cannot lose data
      }
    }),
  );
  return {
    written: outcomes.filter((o) => o.written).map((o) => o.target),
    pending: outcomes.flatMap((o) => (o.reason === null ? [] : [{ target: o.target, reason: o.reason }])),
  };
}
