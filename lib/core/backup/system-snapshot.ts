import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from '../db/sqlite';
import { exportSystemSecrets } from '../recovery/system-secrets';

/** Where a full backup holds the instance database, and the secrets its rows need (docs/FORMAT.md §3). */
export const SYSTEM_DATABASE_ENTRY = 'system/cloudos.db';
export const SYSTEM_SECRETS_ENTRY = 'system/secrets.json';

export interface SystemSnapshot {
  file: string;
  /** `system/secrets.json`: the database's sealed secrets, sealed again under the backup's master key. */
  secrets: Buffer;
  remove: () => void;
}

/**
 * A consistent copy of the instance database taken while web and worker keep writing, with
 * `VACUUM INTO`: one statement in one read transaction, so a writer cannot make it start over.
 * (The online backup API restarts whenever another connection writes between its steps; with
 * the web process writing steadily it could copy forever.) Returns its path (owner-only,
 * under the data dir) and a cleanup.
 */
export async function snapshotDatabase(databasePath: string, dataDir: string): Promise<{ file: string; remove: () => void }> {
  const dir = path.join(dataDir, 'tmp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `snapshot-${randomBytes(6).toString('hex')}.db`);
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  };
  const source = new Database(databasePath, { readonly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    source.prepare('VACUUM INTO ?').run(file);
    return { file, remove };
  } catch (error) {
    remove();
    throw error;
  } finally {
    source.close();
  }
}

/** The system part of a full backup: the database snapshot and its secrets for a new server. */
export async function snapshotSystem(
  databasePath: string,
  dataDir: string,
  keys: { instanceKey: Buffer; masterKey: Buffer },
): Promise<SystemSnapshot> {
  const snapshot = await snapshotDatabase(databasePath, dataDir);
  try {
    return { ...snapshot, secrets: exportSystemSecrets(snapshot.file, keys.instanceKey, keys.masterKey) };
  } catch (error) {
    snapshot.remove();
    throw error;
  }
}
