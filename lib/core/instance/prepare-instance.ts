import { type Db, getDb } from '../db/client';
import { applyMigrations, type MigrationResult } from '../db/migrate';
import { getEnv } from '../env';
import { ensureInstanceKey } from './instance-key';

export interface PreparedInstance {
  db: Db;
  instanceKey: Buffer;
  migrations: MigrationResult;
}

let prepared: Promise<PreparedInstance> | undefined;

/**
 * What every process (web, worker, CLI) does before its first real operation: apply pending
 * migrations and load (or, on the very first start, create) the instance key. Runs once per
 * process; a failure is not cached, so the caller may fix the cause and retry.
 */
export function prepareInstance(): Promise<PreparedInstance> {
  prepared ??= (async () => {
    const env = getEnv();
    const migrations = applyMigrations(env.databasePath);
    const db = getDb();
    const instanceKey = await ensureInstanceKey(db, env.instanceKeyPath);
    return { db, instanceKey, migrations };
  })().catch((error: unknown) => {
    prepared = undefined;
    throw error;
  });
  return prepared;
}
