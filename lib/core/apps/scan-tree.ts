import { closeSync, type Dirent, lstatSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
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

function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null; // missing or unreadable: counted as nothing, the backup itself reports it
  }
}

/**
 * Counts the regular files and bytes below `root` (a file or a directory), without following
 * symlinks, and notes SQLite databases: they decide whether an app must be stopped for a
 * consistent backup. Unreadable subdirectories are counted as empty, not fatal: the backup
 * itself reports them. Directory entries carry their type, so only files are stat'ed (for
 * their size): a backup scans every tree before its first byte, and this halves that wait.
 */
export function scanTree(root: string): TreeSize {
  const result: TreeSize = { files: 0, bytes: 0, sqliteFiles: [] };
  const countFile = (full: string, rel: string) => {
    const stats = lstatOrNull(full);
    if (!stats?.isFile()) return; // gone, replaced or unreadable since the directory was read
    result.files += 1;
    result.bytes += stats.size;
    try {
      if (isSqlite(full, stats.size)) result.sqliteFiles.push(rel);
    } catch {
      // unreadable: the backup reports it
    }
  };
  const visitDirectory = (dir: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = `${dir}/${entry.name}`;
      const entryRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isFile()) countFile(full, entryRel);
      else if (entry.isDirectory()) visitDirectory(full, entryRel);
    }
  };
  const rootStats = lstatOrNull(root);
  if (rootStats?.isFile()) countFile(root, path.basename(root));
  else if (rootStats?.isDirectory()) visitDirectory(root, '');
  return result;
}
