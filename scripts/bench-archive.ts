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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundles, formatRow, generateDataset, MB, measureFloor, parseSize, runCli, settleDisk } from './bench-lib';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1G' },
    dir: { type: 'string' },
    'archive-dir': { type: 'string' },
    compare: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const totalBytes = parseSize(values.size ?? '1G');
const work = mkdtempSync(path.join(values.dir ?? tmpdir(), 'cloudos-bench-'));
const source = path.join(work, 'data');

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

buildBundles();
const passFile = path.join(work, 'passphrase');
writeFileSync(passFile, 'benchmark passphrase\n');
console.log(`dataset: generating ${(totalBytes / MB).toFixed(0)} MB in ${work} …`);
const { files } = generateDataset(totalBytes, {
  photos: path.join(source, 'photos', '2026'),
  logs: path.join(source, 'logs'),
  documents: path.join(source, 'documents'),
});
settleDisk();
await measureFloor(source); // warm the page cache for every measured run
const base = await measureFloor(source);
const archiveDir = values['archive-dir'] ? mkdtempSync(path.join(values['archive-dir'], 'cloudos-bench-')) : work;
const archive = path.join(archiveDir, 'data.cob');
const created = runCli(['archive', 'create', '--source', source, '--out', archive, '--passphrase-file', passFile]);
settleDisk();
const dest = path.join(work, 'restored');
const extracted = runCli(['archive', 'extract', archive, '--dest', dest, '--passphrase-file', passFile]);
const floorRate = base.bytes / MB / base.seconds;
const row = (name: string, seconds: number, rss: number | null) => formatRow(name, base.bytes, seconds, floorRate, rss);
const peak = (summary: Record<string, number | string>) =>
  typeof summary.peakRssBytes === 'number' ? summary.peakRssBytes : null;
const inProcess = (summary: Record<string, number | string>) => Number(summary.seconds).toFixed(2);
console.log(
  `dataset: ${files} files, ${(base.bytes / MB).toFixed(0)} MB (half incompressible, half text); ${process.arch}, ${statSync(archive).size} bytes stored (${((statSync(archive).size / base.bytes) * 100).toFixed(0)} %)`,
);
console.log(row('floor (read+sha)', base.seconds, null));
console.log(row('archive create', created.seconds, peak(created.summary)));
console.log(row('archive extract', extracted.seconds, peak(extracted.summary)));
console.log(
  `(create/extract times are whole CLI runs: start-up and one Argon2id derivation included; in-process: create ${inProcess(created.summary)} s, extract ${inProcess(extracted.summary)} s)`,
);
if (values.compare) compareWithOthers(base.bytes, floorRate);
if (extracted.summary.files !== files) throw new Error(`extract restored ${extracted.summary.files} files, expected ${files}`);
if (!values.keep) {
  rmSync(work, { recursive: true, force: true });
  rmSync(archiveDir, { recursive: true, force: true });
}
