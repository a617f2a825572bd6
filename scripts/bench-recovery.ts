// Benchmark of the moment of truth (a script, not a test; DESIGN.md §8): a server died, a new
// one is set up, and everything comes back from a local target with the passphrase alone.
//   npm run bench:recovery -- [--size 1G] [--dir /path/with/space] [--keep]
// The old server (the bench:archive dataset as three Compose apps, scripts/bench-apps.ts)
// makes a full-system backup to a local target and is deleted. Then, timed, on a fresh
// instance set up with `init` and the target added: `targets import` → `restore ID --system
// --apps …` of everything. Printed: the import's time, the time from the import's start to
// the first app restored (from the restore job's log) and to everything restored, each
// process's peak RSS (GNU time's %M), and the floor (read + SHA-256 of the data, in process)
// with the restore's ratio to it, all measured in this run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb } from '../lib/core/db/client';
import { createDockerStandin } from '../test/helpers/docker-standin';
import { createBenchApps } from './bench-apps';
import { buildBundles, MB, MIB, measureFloor, parseSize, recordCleanup, settleDisk } from './bench-lib';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '1G' }, dir: { type: 'string' }, keep: { type: 'boolean', default: false } },
});
const totalBytes = parseSize(values.size ?? '1G');
const work = mkdtempSync(path.join(values.dir ?? tmpdir(), 'cloudos-bench-recovery-'));
process.on('exit', () => values.keep || rmSync(work, { recursive: true, force: true }));
const TIME = '/usr/bin/time';
const passphraseFile = path.join(work, 'passphrase');
const passwordFile = path.join(work, 'password');
writeFileSync(passphraseFile, 'the passphrase of the benchmark server\n');
writeFileSync(passwordFile, 'the benchmark admin password\n');

interface Run {
  seconds: number;
  peakRssBytes: number | null;
  stdout: string;
}

/** One `cloudos-backup` process as installed (the package's bin), timed, with its peak RSS. */
function cli(args: string[], env: Record<string, string>): Run {
  const bin = path.resolve('bin/cloudos-backup');
  const measured = existsSync(TIME);
  const rssFile = path.join(work, 'rss');
  const [command, ...rest] = measured ? [TIME, '-f', '%M', '-o', rssFile, bin, ...args] : [bin, ...args];
  const started = performance.now();
  const result = spawnSync(command as string, rest, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`cloudos-backup ${args.slice(0, 2).join(' ')} failed: ${result.stderr}${result.stdout}`);
  const kib = measured ? Number(spawnSync('cat', [rssFile], { encoding: 'utf8' }).stdout.trim().split('\n').pop()) : Number.NaN;
  return { seconds, peakRssBytes: Number.isFinite(kib) ? kib * 1024 : null, stdout: result.stdout };
}

const mib = (bytes: number | null) => (bytes === null ? 'not measured (no GNU time)' : `${(bytes / MIB).toFixed(0)} MiB`);

buildBundles();
console.log(`dataset: generating ${(totalBytes / MB).toFixed(0)} MB in ${work} …`);
const old = path.join(work, 'old');
const apps = createBenchApps(old, totalBytes);
const oldDocker = createDockerStandin(path.join(old, 'docker'), apps.dockerState);
const oldEnv = { CLOUDOS_DATA_DIR: path.join(old, 'instance'), CLOUDOS_APPS_DIR: apps.appsDir, ...oldDocker.env };
const repository = path.join(work, 'nas');
mkdirSync(repository);
cli(['init', '--admin-user', 'admin', '--admin-password-file', passwordFile, '--passphrase-file', passphraseFile], oldEnv);
cli(['targets', 'add', 'local', 'nas', '--path', repository], oldEnv);
settleDisk();
const floor = await measureFloor(apps.appsDir);
const backup = JSON.parse(cli(['backup', '--target', 'nas', '--full', '--json'], oldEnv).stdout) as {
  backupId: string;
  storedBytes: number;
};
console.log(`old server: full backup ${backup.backupId}, ${(backup.storedBytes / MB).toFixed(0)} MB stored; the server dies.`);
rmSync(old, { recursive: true, force: true });
recordCleanup(apps.files);

const fresh = path.join(work, 'new');
const docker = createDockerStandin(path.join(fresh, 'docker'), { projects: {}, volumes: {} });
const env = { CLOUDOS_DATA_DIR: path.join(fresh, 'instance'), CLOUDOS_APPS_DIR: path.join(fresh, 'apps'), ...docker.env };
cli(['init', '--admin-user', 'admin', '--admin-password-file', passwordFile, '--passphrase-file', passphraseFile], env);
cli(['targets', 'add', 'local', 'nas', '--path', repository], env);
settleDisk();

const began = Date.now();
const imported = cli(['targets', 'import', 'nas', '--passphrase-file', passphraseFile, '--json'], env);
const found = JSON.parse(imported.stdout) as { imported: { id: string; apps: string[] }[] };
const newest = found.imported[0];
if (!newest) throw new Error('the import found no backup');
const restore = cli(['restore', newest.id, '--system', '--apps', newest.apps.join(','), '--yes', '--json'], env);
const everything = (Date.now() - began) / 1000;
const db = createDb(path.join(env.CLOUDOS_DATA_DIR, 'cloudos.db'));
const job = JSON.parse(restore.stdout) as { jobId: string };
const firstApp = await db.jobLog.findFirst({
  where: { jobId: job.jobId, message: { startsWith: 'Restored ' }, NOT: { message: { contains: 'user account' } } },
  orderBy: { id: 'asc' },
});
await db.$disconnect();
const floorRate = floor.bytes / MB / floor.seconds;
const restoreRate = floor.bytes / MB / restore.seconds;
console.log(`floor (read + SHA-256 of ${(floor.bytes / MB).toFixed(0)} MB): ${floorRate.toFixed(0)} MB/s`);
console.log(`targets import: ${imported.seconds.toFixed(2)} s, peak RSS ${mib(imported.peakRssBytes)}`);
console.log(
  `restore of everything: ${restore.seconds.toFixed(2)} s, ${restoreRate.toFixed(0)} MB/s (${(restoreRate / floorRate).toFixed(2)}× floor), peak RSS ${mib(restore.peakRssBytes)}`,
);
if (firstApp)
  console.log(
    `from the import's start to the first app restored: ${((firstApp.createdAt.getTime() - began) / 1000).toFixed(2)} s (${firstApp.message})`,
  );
console.log(`from the import's start to everything restored: ${everything.toFixed(2)} s`);
