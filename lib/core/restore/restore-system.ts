import Database from 'better-sqlite3';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { SettingKey } from '../settings/settings';
import { CORRUPTED_MESSAGE } from './stage-backup';

/**
 * What "system settings and user accounts" brings back from a full backup, and what it never
 * touches (docs/RESTORE.md): the accounts (user names and password hashes) and every setting
 * except those that belong to this instance — its setup marker, its instance-key fingerprint
 * and its backup keys and passphrase (sealed with this server's instance key, and what this
 * server's own backups are encrypted with). The catalog, targets, schedules, jobs and API
 * tokens are this instance's record of what exists and what runs: they are never replaced.
 * An installed license stays too (applySystemSnapshot).
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
}

/** Reads accounts and settings from a backed-up database file (checked first). */
export function readSystemSnapshot(file: string): SystemSnapshot {
  const snapshot = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (snapshot.pragma('integrity_check', { simple: true }) !== 'ok')
      throw new AppError('corrupted', `${CORRUPTED_MESSAGE} (the backed-up system database fails its integrity check)`);
    const users = snapshot.prepare('SELECT id, username, passwordHash, createdAt FROM User').all() as SnapshotUser[];
    const settings = (snapshot.prepare('SELECT key, value FROM Setting').all() as { key: string; value: string }[]).filter(
      (s) => !INSTANCE_SETTING_KEYS.includes(s.key),
    );
    if (users.length === 0)
      throw new AppError('invalid_input', 'The backed-up system database holds no user account; nothing was changed.');
    return { users, settings };
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
 * Replaces accounts and settings with the snapshot's, in one transaction: all or nothing.
 * Every session ends (a restored account may have another password); people sign in again.
 */
export async function applySystemSnapshot(db: Db, snapshot: SystemSnapshot): Promise<{ users: number; settings: number }> {
  // Prisma writes ISO text; SQLite's own CURRENT_TIMESTAMP is "YYYY-MM-DD HH:MM:SS" in UTC.
  const toDate = (value: number | string) =>
    new Date(
      typeof value === 'number'
        ? value
        : Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value) ? `${value.replace(' ', 'T')}Z` : value),
    );
  // A license is a purchase, not data of a point in time: one installed here stays (an old
  // backup must not downgrade it); a server without one takes the backup's.
  const keepLicense = (await db.setting.findUnique({ where: { key: SettingKey.licenseToken } })) !== null;
  const kept = [...INSTANCE_SETTING_KEYS, ...(keepLicense ? [SettingKey.licenseToken] : [])];
  const settings = snapshot.settings.filter((s) => !kept.includes(s.key));
  await db.$transaction([
    db.session.deleteMany({}),
    db.user.deleteMany({}),
    db.user.createMany({
      data: snapshot.users.map((u) => ({
        id: u.id,
        username: u.username,
        passwordHash: u.passwordHash,
        createdAt: toDate(u.createdAt),
      })),
    }),
    db.setting.deleteMany({ where: { key: { notIn: kept } } }),
    db.setting.createMany({ data: settings }),
  ]);
  return { users: snapshot.users.length, settings: settings.length };
}
