import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir } from './migrate';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function rows(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

function writeMigration(migrationsDir: string, name: string, sql: string) {
  mkdirSync(path.join(migrationsDir, name), { recursive: true });
  writeFileSync(path.join(migrationsDir, name, 'migration.sql'), sql);
}

// Every committed migration, in the order they must apply (their names sort by timestamp).
const committed = readdirSync(defaultMigrationsDir(), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('applyMigrations', () => {
  it('builds a fresh database and records each migration the way Prisma does', () => {
    const dbPath = path.join(dir, 'fresh.db');
    const result = applyMigrations(dbPath);
    expect(committed[0]).toBe('20261126000000_init');
    expect(result.applied).toEqual(committed);
    const [row] = rows(dbPath);
    expect(row?.migration_name).toBe('20261126000000_init');
    expect(row?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.finished_at).toBeTruthy();
    expect(row?.rolled_back_at).toBeNull();
    expect(row?.applied_steps_count).toBe(1);
    expect(String(row?.id)).toMatch(/^[0-9a-f-]{36}$/);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('is a no-op on the second start', () => {
    const dbPath = path.join(dir, 'twice.db');
    applyMigrations(dbPath);
    const second = applyMigrations(dbPath);
    expect(second).toEqual({ applied: [], alreadyApplied: committed.length, modified: [] });
    expect(rows(dbPath)).toHaveLength(committed.length);
  });

  it('applies only what is new, and reports an applied migration whose file changed', () => {
    const migrations = path.join(dir, 'migrations');
    const dbPath = path.join(dir, 'grow.db');
    writeMigration(migrations, '001_a', 'CREATE TABLE a (x INTEGER);');
    expect(applyMigrations(dbPath, migrations).applied).toEqual(['001_a']);
    writeMigration(migrations, '002_b', 'CREATE TABLE b (y INTEGER);');
    expect(applyMigrations(dbPath, migrations).applied).toEqual(['002_b']);
    writeMigration(migrations, '001_a', 'CREATE TABLE a (x INTEGER); -- edited');
    expect(applyMigrations(dbPath, migrations).modified).toEqual(['001_a']);
  });

  it('records a failed migration and refuses to start until it is repaired', () => {
    const migrations = path.join(dir, 'migrations');
    const dbPath = path.join(dir, 'broken.db');
    writeMigration(migrations, '001_ok', 'CREATE TABLE ok (x INTEGER);');
    writeMigration(migrations, '002_bad', 'CREATE TABLE bad (y INTEGER); THIS IS NOT SQL;');
    expect(() => applyMigrations(dbPath, migrations)).toThrow(/migration 002_bad failed/);
    const recorded = rows(dbPath);
    expect(recorded.map((r) => [r.migration_name, r.finished_at === null])).toEqual([
      ['001_ok', false],
      ['002_bad', true],
    ]);
    expect(String(recorded[1]?.logs)).toMatch(/syntax error/);
    // Fixing the file is not enough: a half-applied migration needs a human decision.
    writeMigration(migrations, '002_bad', 'CREATE TABLE IF NOT EXISTS bad (y INTEGER);');
    expect(() => applyMigrations(dbPath, migrations)).toThrow(/002_bad failed or was interrupted; the database needs repair/);
  });

  it('lets several processes start at once: each migration is applied exactly once', async () => {
    const dbPath = path.join(dir, 'race.db');
    const script = `import { applyMigrations } from ${JSON.stringify(path.resolve('lib/core/db/migrate.ts'))};
      const r = applyMigrations(${JSON.stringify(dbPath)}, ${JSON.stringify(defaultMigrationsDir())});
      console.log(JSON.stringify(r));`;
    const runOne = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
      });
    const outputs = await Promise.all([runOne(), runOne(), runOne()]);
    const applied = outputs.map((o) => JSON.parse(o).applied.length);
    expect(applied.sort()).toEqual([0, 0, committed.length]); // one process applied them all
    expect(rows(dbPath)).toHaveLength(committed.length);
  });
});
