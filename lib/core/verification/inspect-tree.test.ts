import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupContents } from '@/lib/core/backup/manifest';
import { inspectRestoredTree } from './inspect-tree';

// A restored tree built by hand next to the manifest that describes it; then one thing at a
// time made to disagree.
let root: string;
let contents: BackupContents;

function write(rel: string, data: string | Buffer): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), data);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cloudos-inspect-'));
  write('apps/notes/compose/compose.yaml', 'services: {}\n'); // 13 bytes
  write('apps/notes/compose/.env', 'A=1\n'); // 4 bytes
  write('apps/notes/volumes/data/a.md', 'hello'); // 5 bytes
  write('apps/notes/volumes/data/sub/b.md', 'world!'); // 6 bytes
  symlinkSync('a.md', path.join(root, 'apps/notes/volumes/data/link'));
  write('apps/notes/volumes/config.yml/config.yml', 'x: 1\n'); // 5 bytes
  const db = new Database(path.join(root, 'apps/notes/volumes/data/notes.sqlite'));
  db.exec('CREATE TABLE t (x)');
  db.close();
  const sqliteBytes = 8192; // two pages
  mkdirSync(path.join(root, 'system'));
  write('system/cloudos.db', Buffer.alloc(100));
  contents = {
    format: 'cloudos-backup-contents',
    version: 1,
    id: 'a'.repeat(32),
    scope: 'full',
    createdAt: '2026-11-28T00:00:00.000Z',
    apps: [
      {
        id: 'notes',
        consistency: 'stop',
        composeFiles: ['compose.yaml', '.env'],
        volumes: [
          { name: 'data', kind: 'bind', source: './data', entryType: 'directory', files: 3, bytes: 11 + sqliteBytes },
          { name: 'config.yml', kind: 'bind', source: './config.yml', entryType: 'file', files: 1, bytes: 5 },
        ],
        skipped: [],
        files: 6,
        bytes: 17 + 11 + sqliteBytes + 5,
      },
    ],
    system: { files: ['system/cloudos.db'], bytes: 100 },
    files: 7,
    bytes: 17 + 11 + sqliteBytes + 5 + 100,
  };
  write('manifest.json', JSON.stringify(contents));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('inspectRestoredTree', () => {
  it('finds nothing wrong with a tree as its manifest describes it, and lists its SQLite databases', () => {
    const inspection = inspectRestoredTree(root, contents);
    expect(inspection).toEqual({
      problems: [],
      files: 7,
      bytes: contents.bytes,
      sqliteFiles: ['apps/notes/volumes/data/notes.sqlite'],
    });
  });

  it('names a file that is missing, and the counts that no longer add up', () => {
    rmSync(path.join(root, 'apps/notes/volumes/data/sub/b.md'));
    expect(inspectRestoredTree(root, contents).problems).toEqual([
      'apps/notes/volumes/data: 2 files, 8.2 kB restored, the manifest says 3 files, 8.2 kB.',
      'notes: 5 files, 8.2 kB restored, the manifest says 6 files, 8.2 kB.',
      'In all 6 files, 8.3 kB restored, the manifest says 7 files, 8.3 kB.',
    ]);
  });

  it('names entries the manifest does not list, and listed ones that were not restored', () => {
    write('apps/ghost/compose/compose.yaml', 'x');
    write('extra.txt', 'x');
    rmSync(path.join(root, 'apps/notes/compose/.env'));
    const { problems } = inspectRestoredTree(root, contents);
    expect(problems).toContain('extra.txt is not in the manifest.');
    expect(problems).toContain('apps/ghost is not in the manifest.');
    expect(problems).toContain('apps/notes/compose/.env is in the manifest but was not restored.');
  });

  it('requires each app to have its Compose file', () => {
    const noCompose = structuredClone(contents);
    (noCompose.apps[0] as (typeof noCompose.apps)[number]).composeFiles = ['.env'];
    rmSync(path.join(root, 'apps/notes/compose/compose.yaml'));
    write('manifest.json', JSON.stringify(noCompose));
    expect(inspectRestoredTree(root, noCompose).problems).toContain('notes has no Compose file in the manifest.');
  });

  it("reports an archive manifest.json that differs from the target's, or is missing", () => {
    write('manifest.json', JSON.stringify({ ...contents, createdAt: '2020-01-01T00:00:00.000Z' }));
    expect(inspectRestoredTree(root, contents).problems).toEqual([
      "The archive's manifest.json differs from the manifest on the target.",
    ]);
    rmSync(path.join(root, 'manifest.json'));
    expect(inspectRestoredTree(root, contents).problems).toEqual([
      'The archive holds no manifest.json.',
      'manifest.json is in the manifest but was not restored.',
    ]);
  });

  it('a single-file volume must hold exactly one file', () => {
    write('apps/notes/volumes/config.yml/other', '');
    expect(inspectRestoredTree(root, contents).problems).toContain(
      'apps/notes/volumes/config.yml should hold exactly one file (a single-file mount).',
    );
  });
});
