import { closeSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';

export interface TreeSize {
  files: number;
  bytes: number;
  /** Relative paths of SQLite database files found (named like one, with its header). */
  sqliteFiles: string[];
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0');
const header = Buffer.alloc(SQLITE_MAGIC.length);
// The names apps give their SQLite files (vaultwarden db.sqlite3, Home Assistant
// home-assistant_v2.db, Jellyfin library.db, …). Only these are opened to check the header:
// opening every file of a large tree would double the cost of the scan.
const SQLITE_NAME = /\.(db|db3|sqlite|sqlite3)$/i;

function isSqlite(file: string, size: number): boolean {
  if (size < 512 || size % 512 !== 0 || !SQLITE_NAME.test(file)) return false; // whole pages
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/**
 * Counts the regular files and bytes below `root` (a file or a directory), without following
 * symlinks, and notes SQLite databases: they decide whether an app must be stopped for a
 * consistent backup. Unreadable subdirectories are counted as empty, not fatal: the backup
 * itself reports them.
 */
export function scanTree(root: string): TreeSize {
  const result: TreeSize = { files: 0, bytes: 0, sqliteFiles: [] };
  const visit = (full: string, rel: string) => {
    let stats: ReturnType<typeof lstatSync>;
    try {
      stats = lstatSync(full);
    } catch {
      return;
    }
    if (stats.isFile()) {
      result.files += 1;
      result.bytes += stats.size;
      try {
        if (isSqlite(full, stats.size)) result.sqliteFiles.push(rel || path.basename(full));
      } catch {
        // unreadable: the backup reports it
      }
    } else if (stats.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(full);
      } catch {
        return;
      }
      for (const name of names) visit(path.join(full, name), rel ? `${rel}/${name}` : name);
    }
  };
  visit(root, '');
  return result;
}
