import { createHash } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** A small deterministic PRNG (mulberry32), so a failing generated tree can be reproduced. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TreeSnapshotEntry {
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  size?: number;
  sha256?: string;
  target?: string;
}

/** Everything the archive promises to preserve, per relative path. */
export function snapshotTree(root: string): Record<string, TreeSnapshotEntry> {
  const out: Record<string, TreeSnapshotEntry> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = lstatSync(full);
      const base = { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, mtimeMs: Math.floor(s.mtimeMs) };
      if (s.isDirectory()) {
        out[r] = { type: 'directory', ...base };
        walk(full, r);
      } else if (s.isSymbolicLink()) {
        out[r] = { type: 'symlink', ...base, target: readlinkSync(full) };
      } else {
        out[r] = { type: 'file', ...base, size: s.size, sha256: createHash('sha256').update(readFileSync(full)).digest('hex') };
      }
    }
  };
  walk(root, '');
  return out;
}

const NAME_PARTS = ['photos', 'Ünïcödé', '日本語', 'space name', 'emoji-📷', 'x', 'db.sqlite', '.hidden'];

/**
 * Generates a random tree: empty files and directories, symlinks (relative, absolute,
 * dangling), unicode and 255-byte names, deep paths, varied modes and sub-second mtimes, and
 * file sizes around the given chunk size (0, 1, exactly N chunks, N chunks + 1).
 */
export function generateTree(root: string, seed: number, chunkSize: number): void {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const sizes = [0, 1, chunkSize - 1, chunkSize, chunkSize + 1, chunkSize * 3, chunkSize * 3 + 1, 511, 512, 513];
  const dirs: string[] = [root];
  const dirModes = new Map<string, number>();
  let counter = 0;
  const uniqueName = () => `${pick(NAME_PARTS)}-${counter++}`;
  for (let i = 0; i < 12; i += 1) {
    const parent = pick(dirs);
    const dir = path.join(parent, uniqueName());
    mkdirSync(dir);
    dirs.push(dir);
    dirModes.set(dir, pick([0o755, 0o700, 0o750, 0o555]));
  }
  const deep = path.join(root, ...Array.from({ length: 12 }, (_, i) => `level-${i}-${'d'.repeat(20)}`));
  mkdirSync(deep, { recursive: true });
  dirs.push(deep);
  for (let i = 0; i < 40; i += 1) {
    const dir = pick(dirs);
    const file = path.join(dir, i === 0 ? 'n'.repeat(255) : i === 1 ? `${'é'.repeat(127)}x` : uniqueName());
    const size = pick(sizes);
    const data = Buffer.alloc(size);
    for (let b = 0; b < size; b += 1) data[b] = rand() < 0.5 ? 97 + (b % 26) : Math.floor(rand() * 256);
    writeFileSync(file, data);
    chmodSync(file, pick([0o644, 0o600, 0o755, 0o444, 0o4755]));
    const mtime = 1_600_000_000 + Math.floor(rand() * 100_000_000) + Math.floor(rand() * 1000) / 1000;
    utimesSync(file, mtime, mtime);
  }
  const targets = ['/etc/passwd', '../somewhere', 'missing-target', 'photos-0', '/absolute/dangling'];
  for (let i = 0; i < 8; i += 1) {
    const link = path.join(pick(dirs), `link-${i}`);
    symlinkSync(pick(targets), link);
    lutimesSync(link, 1_700_000_000 + i, 1_700_000_000 + i);
  }
  // Modes and mtimes of directories last: writing into them changes their mtime.
  for (const dir of [...dirs].reverse()) {
    if (dir === root) continue;
    chmodSync(dir, dirModes.get(dir) ?? 0o755);
    utimesSync(dir, 1_650_000_000 + dirs.indexOf(dir), 1_650_000_000 + dirs.indexOf(dir));
  }
}
