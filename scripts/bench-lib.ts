// What the benchmarks share, so that `bench:archive` and `bench` generate the same kind of data,
// measure the same floor and run the CLI the same way: their ratios are comparable only if so.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prng } from '../test/helpers/tree';

export const MB = 1e6;
export const MIB = 1024 * 1024;
const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** "256M", "1G", "1.5G" → bytes (binary units). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG])?$/i.exec(text);
  if (!match) throw new Error('--size like 512M or 4G');
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? '').toUpperCase()] ?? 1));
}

/** Where each part of the dataset goes: half photos, a quarter logs, a quarter small documents. */
export interface DatasetDirs {
  photos: string;
  logs: string;
  documents: string;
}

/** 8 MiB of text like a home server holds: app logs, JSON documents, notes in prose. */
function textCorpus(rand: () => number): Buffer {
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)] as T;
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const paths = ['/api/v1/albums', '/api/v1/photos', '/api/v1/users/me', '/healthz', '/api/v1/search', '/share'];
  const levels = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
  const vocabulary = (
    'the a of and to in is was for on with as by at from this that we our photo album holiday family ' +
    'beach mountain birthday garden kitchen recipe invoice tax document backup server disk network update password ' +
    'meeting school summer winter weekend trip camera picture video music library movie book note list remember buy'
  ).split(' ');
  const corpusParts: string[] = [];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  for (let size = 0; size < 8 * 1024 * 1024; ) {
    clock += Math.floor(rand() * 5000);
    const kind = rand();
    let text: string;
    if (kind < 0.5) {
      text = `${new Date(clock).toISOString()} ${pick(levels).padEnd(5)} [photos-worker-${Math.floor(rand() * 4)}] GET ${pick(paths)}/${Math.floor(rand() * 5000)}?page=${Math.floor(rand() * 20)} ${rand() < 0.95 ? 200 : 404} ${Math.floor(rand() * 300)}ms user=${pick(users)}\n`;
    } else if (kind < 0.8) {
      text = `${JSON.stringify({ id: Math.floor(rand() * 1e6), owner: pick(users), title: `${pick(vocabulary)} ${pick(vocabulary)}`, taken: new Date(clock).toISOString(), camera: { make: 'Canon', model: `EOS ${Math.floor(rand() * 90)}D`, iso: 100 * Math.floor(1 + rand() * 32) }, tags: [pick(vocabulary), pick(vocabulary)], favorite: rand() < 0.1 })}\n`;
    } else {
      text = `${Array.from({ length: 8 + Math.floor(rand() * 20) }, () => pick(vocabulary)).join(' ')}.\n`;
    }
    corpusParts.push(text);
    size += text.length;
  }
  return Buffer.from(corpusParts.join(''));
}

/**
 * Writes `totalBytes` of data (a fixed seed, so every run has the same shape): half
 * incompressible "photos" of 1–8 MiB, a quarter large text logs of 4 MiB, a quarter small
 * documents of 4–64 KiB, 200 to a folder. Returns the number of files.
 */
export function generateDataset(totalBytes: number, dirs: DatasetDirs): { files: number } {
  const rand = prng(42);
  const corpus = textCorpus(rand);
  let files = 0;
  mkdirSync(dirs.photos, { recursive: true });
  const noise = randomBytes(8 * 1024 * 1024);
  for (let written = 0; written < totalBytes / 2; files += 1) {
    const size = Math.min(Math.floor((1 + rand() * 7) * 1024 * 1024), totalBytes / 2 - written);
    const data = Buffer.from(noise.subarray(0, size));
    data.writeUInt32BE(files, 0); // distinct files
    randomBytes(64).copy(data, 4);
    writeFileSync(path.join(dirs.photos, `IMG_${String(files).padStart(5, '0')}.jpg`), data);
    written += size;
  }
  mkdirSync(dirs.logs, { recursive: true });
  for (let written = 0, i = 0; written < totalBytes / 4; i += 1, files += 1) {
    const size = Math.min(4 * 1024 * 1024, totalBytes / 4 - written);
    const start = Math.floor(rand() * (corpus.length - size));
    writeFileSync(path.join(dirs.logs, `app-${i}.log`), corpus.subarray(start, start + size));
    written += size;
  }
  for (let written = 0, i = 0; written < totalBytes / 4; i += 1, files += 1) {
    const dir = path.join(dirs.documents, `folder-${Math.floor(i / 200)}`);
    if (i % 200 === 0) mkdirSync(dir, { recursive: true });
    const size = Math.min(Math.floor(4096 + rand() * 60 * 1024), totalBytes / 4 - written);
    const start = Math.floor(rand() * (corpus.length - size));
    writeFileSync(path.join(dir, `note-${i}.md`), corpus.subarray(start, start + size));
    written += size;
  }
  return { files };
}

/**
 * The floor: read every file under `dir` and hash its bytes with SHA-256, in process (the
 * least any backup must do; coreutils sha256sum is too slow here to be a floor, DESIGN.md §9).
 */
export async function measureFloor(dir: string): Promise<{ seconds: number; bytes: number; files: number }> {
  const buffer = Buffer.allocUnsafe(MIB);
  const hash = createHash('sha256');
  let bytes = 0;
  let files = 0;
  const started = performance.now();
  const walk = async (current: string): Promise<void> => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const handle = await open(full, 'r');
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          hash.update(buffer.subarray(0, bytesRead));
          bytes += bytesRead;
        }
        await handle.close();
        files += 1;
      }
    }
  };
  await walk(dir);
  hash.digest();
  return { seconds: (performance.now() - started) / 1000, bytes, files };
}

// Where a benchmark notes when it deleted its trees (see warnAfterRecentCleanup).
const CLEANUP_NOTE = path.join(tmpdir(), 'cloudos-bench-cleanup.json');
const RECENTLY_DELETED_SECONDS = 6 * 60;

/** Remembers that `files` files were just deleted, for the next run's warning. */
export function recordCleanup(files: number): void {
  writeFileSync(CLEANUP_NOTE, JSON.stringify({ at: Date.now(), files }));
}

/**
 * Says so when a benchmark deleted its trees minutes ago: on ext4 without a journal (this
 * machine's root file system) every new file then costs a scan of the recently freed inodes
 * for up to six minutes, which slows extract and restores (docs/BENCHMARKS.md), not the floor.
 */
export function warnAfterRecentCleanup(): void {
  let note: { at: number; files: number };
  try {
    note = JSON.parse(readFileSync(CLEANUP_NOTE, 'utf8'));
  } catch {
    return;
  }
  const ago = (Date.now() - note.at) / 1000;
  if (ago < 0 || ago > RECENTLY_DELETED_SECONDS) return;
  console.log(
    `note: a benchmark deleted ${note.files} files ${ago.toFixed(0)} s ago; on ext4 without a journal new files are slower for up to ${RECENTLY_DELETED_SECONDS / 60} minutes after that, so this run's extract (and restic's and borg's restores) may read low (docs/BENCHMARKS.md).`,
  );
}

/**
 * Writes every dirty page to disk and waits (`sync`): a measurement must not pay for the
 * writeback of what was written before it (the generated dataset, an earlier run's output),
 * which the kernel otherwise starts ~30 s later, in the middle of the next run.
 */
export function settleDisk(): void {
  spawnSync('sync');
}

/**
 * Builds dist/ so that the CLI runs as users run it: from its bundle, not through tsx (the
 * launcher falls back to tsx when the bundle is older than the sources; tsx costs ~50 MiB).
 */
export function buildBundles(): void {
  if (spawnSync(process.execPath, ['scripts/build-bundles.mjs'], { stdio: 'inherit' }).status !== 0)
    throw new Error('bundle build failed');
}

/** One whole `cloudos-backup … --json` run: wall-clock seconds (start-up included) and its summary. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): { seconds: number; summary: Record<string, number | string> } {
  const started = performance.now();
  // The package's bin, as an installed CLI runs (one Node process).
  const result = spawnSync(path.resolve('bin/cloudos-backup'), [...args, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, ...env },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`cloudos-backup ${args[0]} ${args[1] ?? ''} failed: ${result.stderr}`);
  return { seconds, summary: JSON.parse(result.stdout) };
}

/** "name  123 MB/s  0.45× floor  132 MiB peak RSS  3.21 s", rates over the dataset's bytes. */
export function formatRow(name: string, bytes: number, seconds: number, floorRate: number, rss: number | null): string {
  const rate = bytes / MB / seconds;
  const memory = rss === null ? '      —' : `${(rss / MIB).toFixed(0).padStart(5)} MiB`;
  return `${name.padEnd(16)} ${rate.toFixed(0).padStart(6)} MB/s  ${(rate / floorRate).toFixed(2).padStart(5)}× floor  ${memory} peak RSS  ${seconds.toFixed(2)} s`;
}

/** The middle value (the mean of the two middle ones for an even count): what a run series is read by. */
export function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** "min–max" of a run series. */
export function spread(list: number[], digits = 0): string {
  return `${Math.min(...list).toFixed(digits)}–${Math.max(...list).toFixed(digits)}`;
}
