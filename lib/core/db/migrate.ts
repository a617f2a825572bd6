import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors';
import { BUSY_TIMEOUT_MS, openSqlite } from './sqlite';

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
  /** Applied migrations whose file changed since (Prisma warns about these too). */
  modified: string[];
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
}

// The exact table Prisma Migrate keeps, so `prisma migrate status` can read our databases.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export function defaultMigrationsDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'prisma', 'migrations');
}

function listMigrations(migrationsDir: string): { name: string; sql: string; checksum: string }[] {
  if (!existsSync(migrationsDir)) {
    throw new AppError('config', `migrations folder not found: ${migrationsDir} (run from the project directory)`);
  }
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Holds an exclusive SQLite lock on a side file while `fn` runs, so that web, worker and CLI
 * starting at the same moment apply migrations one after the other. The lock dies with the
 * process, so a crash never leaves it stuck. (The migrations themselves run unwrapped, as
 * Prisma runs them; this transaction is on another database file.)
 */
function withMigrationLock<T>(databasePath: string, fn: () => T): T {
  const lock = new Database(`${databasePath}.migrate-lock`, { timeout: BUSY_TIMEOUT_MS * 6 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
    try {
      return fn();
    } finally {
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}

/** Applies every pending migration in order; a no-op when the database is current. */
export function applyMigrations(databasePath: string, migrationsDir = defaultMigrationsDir()): MigrationResult {
  const migrations = listMigrations(migrationsDir);
  const db = openSqlite(databasePath);
  try {
    return withMigrationLock(databasePath, () => applyPending(db, migrations));
  } finally {
    db.close();
  }
}

function applyPending(db: Database.Database, migrations: { name: string; sql: string; checksum: string }[]): MigrationResult {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const rows = db
    .prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations')
    .all() as MigrationRow[];
  const broken = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (broken) {
    throw new AppError(
      'internal',
      `database migration ${broken.migration_name} failed or was interrupted; the database needs repair before Cloud OS Backups can start (see docs/OPERATIONS.md, "Failed migration")`,
    );
  }
  const finished = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
  const result: MigrationResult = { applied: [], alreadyApplied: 0, modified: [] };
  for (const migration of migrations) {
    const knownChecksum = finished.get(migration.name);
    if (knownChecksum !== undefined) {
      result.alreadyApplied += 1;
      if (knownChecksum !== migration.checksum) result.modified.push(migration.name);
      continue;
    }
    applyOne(db, migration);
    result.applied.push(migration.name);
  }
  return result;
}

function applyOne(db: Database.Database, migration: { name: string; sql: string; checksum: string }): void {
  const id = randomUUID();
  db.prepare(
    'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)',
  ).run(id, migration.checksum, migration.name, new Date().toISOString());
  try {
    db.exec(migration.sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    db.prepare('UPDATE _prisma_migrations SET logs = ? WHERE id = ?').run(message, id);
    throw new AppError('internal', `database migration ${migration.name} failed: ${message}`, { cause: error });
  }
  db.prepare('UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?').run(
    new Date().toISOString(),
    id,
  );
}
