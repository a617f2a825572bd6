import type { Db } from '../db/client';

/** Well-known setting keys, so no caller spells one differently. */
export const SettingKey = {
  setupCompletedAt: 'setup.completedAt',
  instanceKeyFingerprint: 'instance.keyFingerprint',
  backupPassphrase: 'backup.passphrase',
  /** The instance master key, sealed with the instance key (the server's own copy). */
  backupMasterKey: 'backup.masterKey',
  /** The master key wrapped under the backup passphrase (JSON key file, docs/FORMAT.md §1). */
  backupKeyFile: 'backup.keyFile',
  /** Minutes after its time a schedule's fire still runs (the worker was down); default 60. */
  scheduleGraceMinutes: 'schedules.graceMinutes',
  /** The IANA time zone schedules and retention days are read in; unset = the TZ variable. */
  instanceTimeZone: 'instance.timeZone',
  /** Hours after which an app or target without a successful backup is stale; default 48. */
  healthStaleAfterHours: 'health.staleAfterHours',
  /** A schedule is stale after this many times its interval without a success; default 2. */
  healthScheduleStaleFactor: 'health.scheduleStaleFactor',
  /** A target counts as unverified when no backup on it was verified ok within these days; default 30. */
  healthVerifyWithinDays: 'health.verifyWithinDays',
  /** Set while a recovery from backups (the setup page) waits for its system restore. */
  recoveryPending: 'setup.recoveryPending',
  /** The installed license token (docs/LICENSE.md), verified again on every read. */
  licenseToken: 'license.token',
} as const;
export type SettingKey = (typeof SettingKey)[keyof typeof SettingKey];

export async function getSetting(db: Db, key: SettingKey): Promise<string | null> {
  const row = await db.setting.findUnique({ where: { key } });
  return row?.value ?? null;
}

export async function deleteSetting(db: Db, key: SettingKey): Promise<void> {
  await db.setting.deleteMany({ where: { key } });
}

export async function putSetting(db: Db, key: SettingKey, value: string): Promise<void> {
  await db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}
