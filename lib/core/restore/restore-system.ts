import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { AppError } from '../errors';
import { readSystemSecrets } from '../recovery/system-secrets';
import { SettingKey } from '../settings/settings';
import { planRecordMerge, type RecordMergeCounts } from './merge-system-records';
import { CORRUPTED_MESSAGE } from './stage-backup';
import { readSystemRecords, type SystemRecords, sqliteDate } from './system-records';

/**
 * What "system settings and user accounts" brings back from a full backup, and what it never
 * touches (docs/RESTORE.md): the accounts (user names and password hashes) and every setting
 * except those that belong to this instance — its setup marker, its instance-key fingerprint
 * and its backup keys and passphrase (sealed with this server's instance key, and what this
 * server's own backups are encrypted with). Targets, schedules, API tokens and the catalog are
 * merged in, never replaced (planRecordMerge); jobs stay this instance's. An installed
 * license stays too (applySystemSnapshot).
 */
export const INSTANCE_SETTING_KEYS: readonly string[] = [
  SettingKey.setupCompletedAt,
  SettingKey.instanceKeyFingerprint,
  SettingKey.backupPassphrase,
  SettingKey.backupMasterKey,
  SettingKey.backupKeyFile,
];

interface SnapshotUser {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: number | string;
}

export interface SystemSnapshot {
  users: SnapshotUser[];
  settings: { key: string; value: string }[];
  records: SystemRecords;
  /** The key id of the backed-up instance's own key (its catalog rows without one used it). */
  ownKeyId: string | null;
}

function checkIntegrity(file: string): void {
  const snapshot = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (snapshot.pragma('integrity_check', { simple: true }) !== 'ok')
      throw new AppError('corrupted', `${CORRUPTED_MESSAGE} (the backed-up system database fails its integrity check)`);
  } finally {
    snapshot.close();
  }
}

function ownKeyIdOf(settings: { key: string; value: string }[]): string | null {
  const keyFile = settings.find((s) => s.key === SettingKey.backupKeyFile)?.value;
  const keyId = keyFile ? (JSON.parse(keyFile) as { keyId?: unknown }).keyId : null;
  return typeof keyId === 'string' ? keyId : null;
}

/**
 * Reads what a backed-up database file brings back (checked first). The file is a staged copy:
 * it is brought to this version's schema first, so a backup made by an older version reads
 * the same way.
 */
export function readSystemSnapshot(file: string): SystemSnapshot {
  try {
    checkIntegrity(file);
    applyMigrations(file);
  } catch (error) {
    if (error instanceof AppError && error.code === 'corrupted') throw error;
    throw new AppError('corrupted', `The backed-up system database cannot be read (${String(error)}); nothing was changed.`, {
      cause: error,
    });
  }
  const snapshot = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const users = snapshot.prepare('SELECT id, username, passwordHash, createdAt FROM User').all() as SnapshotUser[];
    const allSettings = snapshot.prepare('SELECT key, value FROM Setting').all() as { key: string; value: string }[];
    const settings = allSettings.filter((s) => !INSTANCE_SETTING_KEYS.includes(s.key));
    if (users.length === 0)
      throw new AppError('invalid_input', 'The backed-up system database holds no user account; nothing was changed.');
    return { users, settings, records: readSystemRecords(snapshot), ownKeyId: ownKeyIdOf(allSettings) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('corrupted', `The backed-up system database cannot be read (${String(error)}); nothing was changed.`, {
      cause: error,
    });
  } finally {
    snapshot.close();
  }
}

/**
 * Replaces accounts and settings with the snapshot's and merges its records in, in one
 * transaction: all or nothing. Every session ends (a restored account may have another
 * password); people sign in again.
 */
export async function applySystemSnapshot(
  db: Db,
  snapshot: SystemSnapshot,
  keys: { instanceKey: Buffer; secrets: Map<string, string> },
): Promise<{ users: number; settings: number } & RecordMergeCounts> {
  // A license is a purchase, not data of a point in time: one installed here stays (an old
  // backup must not downgrade it); a server without one takes the backup's.
  const keepLicense = (await db.setting.findUnique({ where: { key: SettingKey.licenseToken } })) !== null;
  const kept = [...INSTANCE_SETTING_KEYS, ...(keepLicense ? [SettingKey.licenseToken] : [])];
  // A recovery in progress ends with this restore: its mark goes, whatever the backup held.
  const settings = snapshot.settings.filter((s) => !kept.includes(s.key) && s.key !== SettingKey.recoveryPending);
  const merge = await planRecordMerge(db, {
    records: snapshot.records,
    secrets: keys.secrets,
    ownKeyIdOfSnapshot: snapshot.ownKeyId,
    instanceKey: keys.instanceKey,
  });
  await db.$transaction([
    db.session.deleteMany({}),
    db.user.deleteMany({}),
    db.user.createMany({
      data: snapshot.users.map((u) => ({
        id: u.id,
        username: u.username,
        passwordHash: u.passwordHash,
        createdAt: sqliteDate(u.createdAt),
      })),
    }),
    db.setting.deleteMany({ where: { key: { notIn: kept } } }),
    db.setting.createMany({ data: settings }),
    ...merge.writes,
  ]);
  return { users: snapshot.users.length, settings: settings.length, ...merge.counts };
}

/** The staged system/secrets.json opened with the backup's key; empty for backups made before it existed. */
export function readStagedSecrets(systemStaging: string, masterKey: Buffer): Map<string, string> {
  const file = path.join(systemStaging, 'secrets.json');
  return existsSync(file) ? readSystemSecrets(file, masterKey) : new Map();
}

export function describeSystemRestore(counts: Awaited<ReturnType<typeof applySystemSnapshot>>): string {
  const added = [
    [counts.targets, 'target'],
    [counts.schedules, 'schedule'],
    [counts.apiTokens, 'API token'],
    [counts.backups, 'catalog backup'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`);
  return (
    `Restored ${counts.users} user account(s) and ${counts.settings} setting(s); everyone signs in again.` +
    (added.length > 0 ? ` Added ${added.join(', ')} from the backup.` : '')
  );
}
