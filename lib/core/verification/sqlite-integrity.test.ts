import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSqliteDatabases } from './sqlite-integrity';

let root: string;

function createDb(name: string, rows = 300): void {
  const db = new Database(path.join(root, name));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < rows; i += 1) insert.run('x'.repeat(200));
  db.close();
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cloudos-sqlite-check-'));
  createDb('good.sqlite');
  createDb('broken.db');
  const fd = openSync(path.join(root, 'broken.db'), 'r+');
  writeSync(fd, Buffer.alloc(64, 0xab), 0, 64, 4096 * 2);
  closeSync(fd);
  writeFileSync(path.join(root, 'garbage.sqlite3'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 7)]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('checkSqliteDatabases', () => {
  it('passes a sound database and names each broken one with what SQLite said', async () => {
    const seen: string[] = [];
    const problems = await checkSqliteDatabases(root, ['good.sqlite', 'broken.db', 'garbage.sqlite3'], {
      onProgress: (done, current) => seen.push(`${done}:${current}`),
    });
    expect(seen).toEqual(['0:good.sqlite', '1:broken.db', '2:garbage.sqlite3']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe('The SQLite database broken.db fails PRAGMA integrity_check: database disk image is malformed');
    expect(problems[1]).toBe('The SQLite database garbage.sqlite3 fails PRAGMA integrity_check: file is not a database');
  });

  it('resolves at once for no databases and rejects when cancelled', async () => {
    expect(await checkSqliteDatabases(root, [])).toEqual([]);
    const controller = new AbortController();
    const running = checkSqliteDatabases(root, ['good.sqlite', 'good.sqlite', 'good.sqlite'], {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('stop')),
    });
    await expect(running).rejects.toThrow('stop');
  });
});
