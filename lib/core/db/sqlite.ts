import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens the instance database with the settings every process must share: WAL (web, worker
 * and CLI read and write concurrently), a busy timeout, and foreign keys enforced.
 */
export function openSqlite(databasePath: string): Database.Database {
  // The data dir holds password hashes and the instance key: owner-only.
  mkdirSync(path.dirname(databasePath), { recursive: true, mode: 0o700 });
  const db = new Database(databasePath, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}
