import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanTree } from './scan-tree';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'scan-tree-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, content: Buffer | string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

/** A SQLite database as it lies on disk: the header's magic, whole 512-byte pages. */
const sqliteBytes = () => Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096 - 16, 1)]);

describe('scanTree', () => {
  it('counts regular files and bytes at every depth, never through symlinks', () => {
    file('a.txt', 'hello');
    file('deep/er/still/b.bin', Buffer.alloc(3000, 7));
    file('ünïcode/ファイル.md', 'x');
    mkdirSync(path.join(root, 'empty'));
    file('elsewhere/big.bin', Buffer.alloc(100_000)); // reached only through a link below
    symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'deep', 'link-to-dir'));
    symlinkSync(path.join(root, 'a.txt'), path.join(root, 'link-to-file'));
    symlinkSync('/nowhere', path.join(root, 'dangling'));
    const size = scanTree(root);
    expect(size).toEqual({ files: 4, bytes: 5 + 3000 + 1 + 100_000, sqliteFiles: [] });
    expect(scanTree(path.join(root, 'deep'))).toEqual({ files: 1, bytes: 3000, sqliteFiles: [] });
  });

  it('finds SQLite databases by name and header, with their paths relative to the root', () => {
    file('db/app.sqlite3', sqliteBytes());
    file('home-assistant_v2.db', sqliteBytes());
    file('notes.db', Buffer.alloc(4096, 1)); // named like one, but no SQLite header
    file('photo.jpg', sqliteBytes()); // a header, but not a database's name
    file('short.db', Buffer.from('SQLite format 3\0')); // not whole pages
    const size = scanTree(root);
    expect(size.sqliteFiles.sort()).toEqual(['db/app.sqlite3', 'home-assistant_v2.db']);
    expect(size.files).toBe(5);
  });

  it('measures a single file given as the root (a bind-mounted file), and nothing for what is not there', () => {
    file('vault/db.sqlite3', sqliteBytes());
    expect(scanTree(path.join(root, 'vault', 'db.sqlite3'))).toEqual({ files: 1, bytes: 4096, sqliteFiles: ['db.sqlite3'] });
    expect(scanTree(path.join(root, 'missing'))).toEqual({ files: 0, bytes: 0, sqliteFiles: [] });
    // A path through a file (ENOTDIR, not ENOENT) is nothing either, not an error.
    expect(scanTree(path.join(root, 'vault', 'db.sqlite3', 'below'))).toEqual({ files: 0, bytes: 0, sqliteFiles: [] });
    symlinkSync(path.join(root, 'vault'), path.join(root, 'vault-link'));
    expect(scanTree(path.join(root, 'vault-link'))).toEqual({ files: 0, bytes: 0, sqliteFiles: [] });
  });
});
