// Benchmark of `cloudos-backup archive create` and `archive extract` (a script, not a test).
//   npm run bench:archive -- [--size 1G] [--runs 3] [--dir /path/with/space] [--archive-dir DIR] [--compare] [--keep]
// --compare also runs restic and borg (a first backup and a full restore, default settings)
// on the same data when they are installed (Debian: restic, borgbackup).
// --archive-dir puts the archive elsewhere (e.g. /dev/shm, to take the disk's write speed out).
// Generates a dataset (half incompressible like photos; half text: logs and many small
// files), measures a floor on the same data in this run (read every file + SHA-256 over its
// bytes, in process), then runs the real CLI and prints MB/s, peak RSS and the ratio to the
// floor. All runs read from a warm page cache (the floor runs first and warms it). Each run
// measures the floor, create and extract anew; the medians over the runs are the figures to
// read (this machine's speed drifts by 10–40 % within minutes). Extracted trees stay until
// the end: deleting one makes the next extract slower on ext4 without a journal (docs/BENCHMARKS.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildBundles,
  formatRow,
  generateDataset,
  MB,
  measureFloor,
  median,
  parseSize,
  recordCleanup,
  runCli,
  settleDisk,
  spread,
  warnAfterRecentCleanup,
} from './bench-lib';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1G' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string' },
    'archive-dir': { type: 'string' },
    compare: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const totalBytes = parseSize(values.size ?? '1G');
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
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
warnAfterRecentCleanup();
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
const archiveDir = values['archive-dir'] ? mkdtempSync(path.join(values['archive-dir'], 'cloudos-bench-')) : work;
const archive = path.join(archiveDir, 'data.cob');
interface Run {
  floor: { seconds: number; bytes: number };
  created: ReturnType<typeof runCli>;
  extracted: ReturnType<typeof runCli>;
  storedBytes: number;
}
const measured: Run[] = [];
for (let run = 0; run < runs; run += 1) {
  const floor = await measureFloor(source);
  settleDisk();
  const created = runCli(['archive', 'create', '--source', source, '--out', archive, '--passphrase-file', passFile]);
  settleDisk();
  const extracted = runCli([
    'archive',
    'extract',
    archive,
    '--dest',
    path.join(work, `restored-${run + 1}`),
    '--passphrase-file',
    passFile,
  ]);
  if (extracted.summary.files !== files) throw new Error(`extract restored ${extracted.summary.files} files, expected ${files}`);
  measured.push({ floor, created, extracted, storedBytes: statSync(archive).size });
  rmSync(archive); // no writeback of this run's archive into the next measurement
  settleDisk();
}
const bytes = measured[0]?.floor.bytes ?? 0;
const peak = (summary: Record<string, number | string>) =>
  typeof summary.peakRssBytes === 'number' ? summary.peakRssBytes : null;
const storedBytes = measured[0]?.storedBytes ?? 0;
console.log(
  `dataset: ${files} files, ${(bytes / MB).toFixed(0)} MB (half incompressible, half text); ${process.arch}, ${storedBytes} bytes stored (${((storedBytes / bytes) * 100).toFixed(0)} %)`,
);
for (const [i, { floor, created, extracted }] of measured.entries()) {
  const floorRate = bytes / MB / floor.seconds;
  console.log(`run ${i + 1}:`);
  console.log(`  ${formatRow('floor (read+sha)', bytes, floor.seconds, floorRate, null)}`);
  console.log(
    `  ${formatRow('archive create', bytes, created.seconds, floorRate, peak(created.summary))}  (in process ${Number(created.summary.seconds).toFixed(2)} s)`,
  );
  console.log(
    `  ${formatRow('archive extract', bytes, extracted.seconds, floorRate, peak(extracted.summary))}  (in process ${Number(extracted.summary.seconds).toFixed(2)} s)`,
  );
}
const ratios = (step: 'created' | 'extracted') => measured.map((m) => m.floor.seconds / m[step].seconds);
const peaks = (step: 'created' | 'extracted') => measured.map((m) => (peak(m[step].summary) ?? 0) / 2 ** 20);
console.log(`median over ${runs} run(s) (whole CLI runs: start-up and one Argon2id derivation included):`);
console.log(`  floor   ${median(measured.map((m) => bytes / MB / m.floor.seconds)).toFixed(0)} MB/s`);
for (const step of ['created', 'extracted'] as const) {
  console.log(
    `  ${step === 'created' ? 'create ' : 'extract'} ${median(ratios(step)).toFixed(2)}× floor (runs ${spread(ratios(step), 2)}), peak RSS ${spread(peaks(step), 0)} MiB; the goal is ≥ 0.50× and < 150 MiB`,
  );
}
const floorRate = bytes / MB / median(measured.map((m) => m.floor.seconds));
if (values.compare) compareWithOthers(bytes, floorRate);
if (!values.keep) {
  rmSync(work, { recursive: true, force: true });
  rmSync(archiveDir, { recursive: true, force: true });
  recordCleanup(files * (runs + 1 + (values.compare ? 2 : 0)));
}
