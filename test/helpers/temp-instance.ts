import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '@/lib/core/db/client';
import { applyMigrations } from '@/lib/core/db/migrate';

export interface TempInstance {
  dir: string;
  databasePath: string;
  db: Db;
  /** Another Prisma client on the same file: a second process as far as SQLite is concerned. */
  openAnotherDb: () => Db;
  cleanup: () => Promise<void>;
}

/** A fresh data directory with a migrated SQLite database, one per test file or test. */
export function createTempInstance(): TempInstance {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudos-test-'));
  const databasePath = path.join(dir, 'cloudos.db');
  applyMigrations(databasePath);
  const db = createDb(databasePath);
  const extra: Db[] = [];
  return {
    dir,
    databasePath,
    db,
    openAnotherDb: () => {
      const other = createDb(databasePath);
      extra.push(other);
      return other;
    },
    cleanup: async () => {
      await Promise.all([db, ...extra].map((d) => d.$disconnect()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
