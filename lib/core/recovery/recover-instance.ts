import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hashPassword } from '../auth/password';
import { seal } from '../crypto/seal';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { SettingKey } from '../settings/settings';
import { isInstanceInitialized } from '../setup/initialize-instance';
import { SftpTarget } from '../storage/sftp-target';
import type { ConnectionTest } from '../storage/storage-target';
import { parseInput, targetInput } from '../targets/target-input';
import { buildDriverForInput, createTarget } from '../targets/targets';
import { type ImportReport, importBackups } from './import-backups';
import { scanRepository } from './scan-repository';

/** The account that holds a recovery until the restored system part brings the old ones back. */
export const RECOVERY_USERNAME = 'recovery';

const passphraseSchema = z.object({
  passphrase: z.string().min(1, 'Enter the backup passphrase of the old server.').max(1024),
});

function alreadySetUp(): AppError {
  return new AppError('conflict', 'This instance is already set up. Sign in instead.');
}

/**
 * "Test connection" for a target typed on the setup page, before anything is stored. Only
 * while the instance is not set up: nobody is signed in then, and once it is, the probe would
 * let anyone make this server connect wherever they like.
 */
export async function testRecoveryTarget(db: Db, rawTarget: unknown): Promise<ConnectionTest> {
  if (await isInstanceInitialized(db)) throw alreadySetUp();
  const driver = buildDriverForInput(parseInput(targetInput, rawTarget));
  try {
    return await driver.testConnection();
  } finally {
    await driver.close().catch(() => {}); // a probe's connection holds nothing to lose
  }
}

/**
 * Sets up a fresh instance from an old server's target and passphrase (docs/DISASTER-RECOVERY.md,
 * the setup page's "restore from backups"): the repository is scanned first, and nothing is
 * stored unless the passphrase opens a full-system backup there. The instance then takes the
 * old server's key — that of the newest full-system backup — as its own, with that passphrase; the target
 * is stored (an SFTP host key trusted on this first use) and its backups imported. The only
 * account is a recovery account with no usable password, whose session the caller hands to
 * the browser: restoring a full backup's system part replaces it with the old accounts. On
 * any failure the instance is left as it was: not set up.
 */
export async function recoverInstance(
  db: Db,
  instanceKey: Buffer,
  raw: { target: unknown; passphrase: unknown },
): Promise<{ userId: string; report: ImportReport }> {
  const target = parseInput(targetInput, raw.target);
  const { passphrase } = parseInput(passphraseSchema, { passphrase: raw.passphrase }, 'passphrase');
  if (await isInstanceInitialized(db)) throw alreadySetUp();

  const driver = buildDriverForInput(target);
  const scan = await scanRepository(driver, { held: () => null, passphrase }).finally(() => driver.close().catch(() => {}));
  const hostKeySha256 = driver instanceof SftpTarget ? driver.seenHostKeySha256 : null;
  // Only a full-system backup brings accounts back: without one the recovery account would be
  // the only way in, and it has no password.
  const newest = scan.found.find((f) => f.manifest.scope === 'full');
  if (!newest)
    throw new AppError(
      'not_found',
      scan.found.length > 0
        ? `The passphrase opens ${scan.found.length} backup${scan.found.length === 1 ? '' : 's'} here, but none is a full-system backup, which the accounts come back with. Set up a new server instead, then restore these apps with "Find backups" on its Targets page.`
        : `The passphrase opens this repository, but it holds no backup that can be restored${scan.refused[0] ? ` (${scan.refused.length} refused; the first: ${scan.refused[0].reason})` : ''}.`,
    );

  const userId = randomUUID();
  const { masterKey, keyFile } = newest.key;
  await db.$transaction([
    db.setting.create({ data: { key: SettingKey.setupCompletedAt, value: new Date().toISOString() } }),
    db.setting.create({ data: { key: SettingKey.recoveryPending, value: new Date().toISOString() } }),
    db.user.create({
      data: { id: userId, username: RECOVERY_USERNAME, passwordHash: await hashPassword(randomBytes(32).toString('hex')) },
    }),
    db.setting.create({
      data: { key: SettingKey.backupPassphrase, value: seal(instanceKey, SettingKey.backupPassphrase, passphrase) },
    }),
    db.setting.create({
      data: { key: SettingKey.backupMasterKey, value: seal(instanceKey, SettingKey.backupMasterKey, masterKey.toString('hex')) },
    }),
    db.setting.create({ data: { key: SettingKey.backupKeyFile, value: JSON.stringify(keyFile) } }),
  ]);
  try {
    const created = await createTarget(db, instanceKey, target);
    if (hostKeySha256) await db.target.update({ where: { id: created.id }, data: { hostKeySha256 } });
    return { userId, report: await importBackups(db, instanceKey, created.name, { passphrase, createdBy: RECOVERY_USERNAME }) };
  } catch (error) {
    await forgetRecovery(db);
    throw error;
  }
}

/** Back to "not set up": only ever called on an instance this recovery set up moments before. */
async function forgetRecovery(db: Db): Promise<void> {
  await db.$transaction([
    db.backup.deleteMany({}),
    db.target.deleteMany({}),
    db.masterKey.deleteMany({}),
    db.session.deleteMany({}),
    db.user.deleteMany({}),
    db.setting.deleteMany({ where: { key: { not: SettingKey.instanceKeyFingerprint } } }),
  ]);
}

/** True while a recovery waits for the system part that brings the old accounts back. */
export async function isRecoveryPending(db: Db): Promise<boolean> {
  return (await db.setting.findUnique({ where: { key: SettingKey.recoveryPending } })) !== null;
}
