// Benchmark of `cloudos-backup archive create` and `archive extract` (a script, not a test).
//   npm run bench:archive -- [--size 1G] [--dir /path/with/space] [--archive-dir DIR] [--compare] [--keep]
// --compare also runs restic and borg (a first backup and a full restore, default settings)
// on the same data when they are installed (Debian: restic, borgbackup).
// --archive-dir puts the archive elsewhere (e.g. /dev/shm, to take the disk's write speed out).
// Generates a dataset (half incompressible like photos; half text: logs and many small
// files), measures a floor on the same data in this run (read every file + SHA-256 over its
// bytes, in process), then runs the real CLI and prints MB/s, peak RSS and the ratio to the
// floor. All runs read from a warm page cache (the floor runs first and warms it).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prng } from '../test/helpers/tree';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1G' },
    dir: { type: 'string' },
    'archive-dir': { type: 'string' },
    compare: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
const match = /^(\d+(?:\.\d+)?)([KMG])?$/i.exec(values.size ?? '1G');
if (!match) throw new Error('--size like 512M or 4G');
const totalBytes = Math.round(Number(match[1]) * (UNITS[(match[2] ?? '').toUpperCase()] ?? 1));
const work = mkdtempSync(path.join(values.dir ?? tmpdir(), 'cloudos-bench-'));
const source = path.join(work, 'data');
const MB = 1e6;

function generate(): { files: number } {
  const rand = prng(42);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)] as T;
  // Text like a home server holds: app logs, JSON documents, notes in prose.
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
  const corpus = Buffer.from(corpusParts.join(''));
  let files = 0;
  // Half: incompressible "photos" of 1–8 MiB.
  const photos = path.join(source, 'photos', '2026');
  mkdirSync(photos, { recursive: true });
  const noise = randomBytes(8 * 1024 * 1024);
  for (let written = 0; written < totalBytes / 2; files += 1) {
    const size = Math.min(Math.floor((1 + rand() * 7) * 1024 * 1024), totalBytes / 2 - written);
    const data = Buffer.from(noise.subarray(0, size));
    data.writeUInt32BE(files, 0); // distinct files
    randomBytes(64).copy(data, 4);
    writeFileSync(path.join(photos, `IMG_${String(files).padStart(5, '0')}.jpg`), data);
    written += size;
  }
  // A quarter: large text logs; a quarter: many small documents (4–64 KiB) in folders.
  const logs = path.join(source, 'logs');
  mkdirSync(logs);
  for (let written = 0, i = 0; written < totalBytes / 4; i += 1, files += 1) {
    const size = Math.min(4 * 1024 * 1024, totalBytes / 4 - written);
    const start = Math.floor(rand() * (corpus.length - size));
    writeFileSync(path.join(logs, `app-${i}.log`), corpus.subarray(start, start + size));
    written += size;
  }
  for (let written = 0, i = 0; written < totalBytes / 4; i += 1, files += 1) {
    const dir = path.join(source, 'documents', `folder-${Math.floor(i / 200)}`);
    if (i % 200 === 0) mkdirSync(dir, { recursive: true });
    const size = Math.min(Math.floor(4096 + rand() * 60 * 1024), totalBytes / 4 - written);
    const start = Math.floor(rand() * (corpus.length - size));
    writeFileSync(path.join(dir, `note-${i}.md`), corpus.subarray(start, start + size));
    written += size;
  }
  return { files };
}

async function floor(): Promise<{ seconds: number; bytes: number }> {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  const hash = createHash('sha256');
  let bytes = 0;
  const started = performance.now();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
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
      }
    }
  };
  await walk(source);
  hash.digest();
  return { seconds: (performance.now() - started) / 1000, bytes };
}

function cli(args: string[]): { seconds: number; summary: Record<string, number> } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.resolve('bin/cloudos-backup.mjs'), ...args, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`cloudos-backup ${args[0]} ${args[1]} failed: ${result.stderr}`);
  return { seconds, summary: JSON.parse(result.stdout) };
}

/** Runs a command under GNU time for its peak RSS; null when the tool is not installed. */
function timed(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd = work,
): { seconds: number; rss: number } | null {
  if (spawnSync('which', [command]).status !== 0) return null;
  const rssFile = path.join(work, 'rss.txt');
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-o', rssFile, '-f', '%M', command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return { seconds, rss: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024 };
}

function compareWithOthers(bytes: number, floorRate: number): void {
  const show = (name: string, run: { seconds: number; rss: number } | null) => {
    if (!run) return console.log(`${name.padEnd(16)} (not installed)`);
    const rate = bytes / MB / run.seconds;
    console.log(
      `${name.padEnd(16)} ${rate.toFixed(0).padStart(6)} MB/s  ${(rate / floorRate).toFixed(2).padStart(5)}× floor  ${(run.rss / 1024 / 1024).toFixed(0).padStart(5)} MiB peak RSS  ${run.seconds.toFixed(2)} s`,
    );
  };
  const resticRepo = path.join(work, 'restic');
  const resticEnv = { RESTIC_PASSWORD_FILE: passFile, RESTIC_CACHE_DIR: path.join(work, 'restic-cache') };
  if (timed('restic', ['init', '-q', '-r', resticRepo], resticEnv)) {
    show('restic backup', timed('restic', ['backup', '-q', '-r', resticRepo, source], resticEnv));
    show(
      'restic restore',
      timed('restic', ['restore', '-q', '-r', resticRepo, 'latest', '--target', path.join(work, 'restic-out')], resticEnv),
    );
  } else show('restic', null);
  const borgRepo = path.join(work, 'borg');
  const borgEnv = { BORG_PASSPHRASE: 'benchmark passphrase', BORG_BASE_DIR: path.join(work, 'borg-home') };
  if (timed('borg', ['init', '--encryption=repokey', borgRepo], borgEnv)) {
    show('borg create', timed('borg', ['create', `${borgRepo}::first`, source], borgEnv));
    const out = path.join(work, 'borg-out');
    mkdirSync(out);
    show('borg extract', timed('borg', ['extract', `${borgRepo}::first`], borgEnv, out));
  } else show('borg', null);
}

// Measure the CLI as users run it: from its bundle, not through tsx (the launcher falls back to
// tsx when the bundle is older than the sources).
if (spawnSync(process.execPath, ['scripts/build-bundles.mjs'], { stdio: 'inherit' }).status !== 0)
  throw new Error('bundle build failed');
const passFile = path.join(work, 'passphrase');
writeFileSync(passFile, 'benchmark passphrase\n');
console.log(`dataset: generating ${(totalBytes / MB).toFixed(0)} MB in ${work} …`);
const { files } = generate();
await floor(); // warm the page cache for every measured run
const base = await floor();
const archiveDir = values['archive-dir'] ? mkdtempSync(path.join(values['archive-dir'], 'cloudos-bench-')) : work;
const archive = path.join(archiveDir, 'data.cob');
const created = cli(['archive', 'create', '--source', source, '--out', archive, '--passphrase-file', passFile]);
const dest = path.join(work, 'restored');
const extracted = cli(['archive', 'extract', archive, '--dest', dest, '--passphrase-file', passFile]);
const floorRate = base.bytes / MB / base.seconds;
const row = (name: string, seconds: number, rss: number | null) => {
  const rate = base.bytes / MB / seconds;
  return `${name.padEnd(16)} ${rate.toFixed(0).padStart(6)} MB/s  ${(rate / floorRate).toFixed(2).padStart(5)}× floor  ${rss === null ? '      —' : `${(rss / 1024 / 1024).toFixed(0).padStart(5)} MiB`} peak RSS  ${seconds.toFixed(2)} s`;
};
console.log(
  `dataset: ${files} files, ${(base.bytes / MB).toFixed(0)} MB (half incompressible, half text); ${process.arch}, ${statSync(archive).size} bytes stored (${((statSync(archive).size / base.bytes) * 100).toFixed(0)} %)`,
);
console.log(row('floor (read+sha)', base.seconds, null));
console.log(row('archive create', created.seconds, created.summary.peakRssBytes ?? null));
console.log(row('archive extract', extracted.seconds, extracted.summary.peakRssBytes ?? null));
console.log(
  `(create/extract times are whole CLI runs: start-up and one Argon2id derivation included; in-process: create ${created.summary.seconds?.toFixed(2)} s, extract ${extracted.summary.seconds?.toFixed(2)} s)`,
);
if (values.compare) compareWithOthers(base.bytes, floorRate);
if (extracted.summary.files !== files) throw new Error(`extract restored ${extracted.summary.files} files, expected ${files}`);
if (!values.keep) {
  rmSync(work, { recursive: true, force: true });
  rmSync(archiveDir, { recursive: true, force: true });
}
